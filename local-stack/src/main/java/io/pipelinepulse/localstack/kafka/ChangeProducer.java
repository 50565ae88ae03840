package io.pipelinepulse.localstack.kafka;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes canonical changes the way the job expects to read them: keyed by record id, so all
 * changes of one record stay in one partition and in order, and valued as Avro single-object
 * encoding. Shared by the simulator and the loader so both write byte-identical records.
 *
 * <p>{@link #send} is for one thread; the outcome callbacks run on the producer's I/O thread.
 */
public final class ChangeProducer implements AutoCloseable {

  /** Told once per change when the broker has acknowledged it ({@code failure == null}) or given up. */
  @FunctionalInterface
  public interface Outcome {
    void done(Exception failure);
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
  private final String topic;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFatal = new AtomicReference<>();

  public ChangeProducer(String bootstrapServers, String topic, String clientId) {
    this(config(bootstrapServers, clientId), topic);
  }

  public ChangeProducer(Properties config, String topic) {
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  public static Properties config(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // The monitor must not lose a change, and a retried batch must not duplicate one.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Loading history is throughput-bound; a few milliseconds of delay fill much larger batches.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    // A broker that is down should be reported within seconds, not after the 60 s client default.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "45000");
    return props;
  }

  public String topic() {
    return topic;
  }

  /**
   * Sends one change. Failures never throw here; they reach {@code outcome} (may be null) and the
   * counters, so a caller handles a failed send in one place whichever way it failed.
   */
  public void send(CrmChange change, Outcome outcome) {
    Exception fatal = firstFatal.get();
    if (fatal != null) {
      // Without this every further send would block for max.block.ms on a broker that is gone.
      recordFailure(fatal, outcome);
      return;
    }
    byte[] value;
    try {
      value = codec.encode(change);
    } catch (RuntimeException e) {
      recordFailure(e, outcome);
      return;
    }
    byte[] key = change.getRecordId().getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
        if (exception == null) {
          acknowledged.incrementAndGet();
          if (outcome != null) {
            outcome.done(null);
          }
        } else {
          recordFailure(exception, outcome);
        }
      });
    } catch (RuntimeException e) {
      recordFailure(e, outcome);
    }
  }

  private void recordFailure(Exception failure, Outcome outcome) {
    failed.incrementAndGet();
    if (isFatal(failure)) {
      firstFatal.compareAndSet(null, failure);
    }
    if (outcome != null) {
      outcome.done(failure);
    }
  }

  /**
   * Whether a failure will repeat for every following record (broker unreachable, not authorised,
   * producer closed), as opposed to a problem of this one record.
   */
  public static boolean isFatal(Exception failure) {
    return !(failure instanceof RecordTooLargeException
        || failure instanceof SerializationException
        || failure instanceof InvalidRecordException
        || failure instanceof CorruptRecordException
        || failure instanceof IllegalArgumentException);
  }

  /** The first failure that makes further sends pointless, if any. */
  public Optional<Exception> fatalFailure() {
    return Optional.ofNullable(firstFatal.get());
  }

  public long acknowledged() {
    return acknowledged.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Blocks until every change sent so far is acknowledged or has failed. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  /** A hint for failures whose usual cause is a broker that is not running or not reachable. */
  public static String hint(Exception failure, String bootstrapServers, String topic) {
    if (failure instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "is a Kafka broker running at " + bootstrapServers + ", and does topic " + topic
          + " exist (or may the broker create it)?";
    }
    return "";
  }

  /** One line for a person: the exception's kind and message, without a stack trace. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage();
    String kind = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }
}
