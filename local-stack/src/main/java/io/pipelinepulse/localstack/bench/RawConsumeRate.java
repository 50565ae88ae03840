package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick: plain {@link KafkaConsumer}s read a whole topic from the start and decode every
 * value with the canonical codec, nothing else. With one thread it is the figure the job is held
 * against; with two (the job's default parallelism) each consumer reads its own share of the
 * partitions, so the job is also seen against a reader that uses both of its cores.
 */
final class RawConsumeRate {

  record Result(long records, double seconds, long checksum) {
    double perSecond() {
      return records / seconds;
    }
  }

  private RawConsumeRate() {}

  static Result measure(String bootstrapServers, String topic) throws InterruptedException {
    return measure(bootstrapServers, topic, 1);
  }

  /**
   * Reads the topic with {@code threads} consumers at once, each on its own thread with its share
   * of the partitions ({@link #split}); the time runs from the moment all are ready to read until
   * the last one has finished.
   */
  static Result measure(String bootstrapServers, String topic, int threads) throws InterruptedException {
    List<TopicPartition> partitions;
    try (KafkaConsumer<byte[], byte[]> probe = consumer(bootstrapServers, "pulse-bench-raw")) {
      partitions = probe.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }
    List<List<TopicPartition>> shares = split(partitions, threads);
    // Consumers are created, assigned and positioned before the clock starts, as with one thread.
    CyclicBarrier ready = new CyclicBarrier(shares.size() + 1);
    long[][] results = new long[shares.size()][]; // {records, checksum, finished nanos}
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < shares.size(); i++) {
      int index = i;
      List<TopicPartition> share = shares.get(i);
      Thread reader = new Thread(() -> {
        try {
          results[index] = readShare(bootstrapServers, "pulse-bench-raw-" + index, share, ready);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          ready.reset();
        }
      }, "bench-raw-consumer-" + i);
      readers.add(reader);
      reader.start();
    }
    long began;
    try {
      ready.await();
      began = System.nanoTime();
    } catch (BrokenBarrierException e) {
      began = System.nanoTime();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a raw consumer of " + topic + " failed: " + failure.get(), failure.get());
    }
    long records = 0;
    long checksum = 0;
    long finished = began;
    for (long[] result : results) {
      records += result[0];
      checksum += result[1];
      finished = Math.max(finished, result[2]);
    }
    return new Result(records, (finished - began) / 1e9, checksum);
  }

  /** Partitions dealt round-robin to {@code ways} consumers (fewer when there are fewer partitions). */
  static List<List<TopicPartition>> split(List<TopicPartition> partitions, int ways) {
    int n = Math.max(1, Math.min(ways, partitions.size()));
    List<List<TopicPartition>> shares = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      shares.get(i % n).add(partitions.get(i));
    }
    return shares;
  }

  private static long[] readShare(String bootstrapServers, String clientId, List<TopicPartition> partitions,
      CyclicBarrier ready) throws InterruptedException, BrokenBarrierException {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, clientId)) {
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      end.values().removeIf(offset -> offset == 0);
      consumer.seekToBeginning(partitions);
      long records = 0;
      long checksum = 0;
      ready.await();
      while (!end.isEmpty()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          CrmChange change = codec.decode(record.value());
          checksum += change.getCommitTime() + change.getFields().size();
          records++;
        }
        for (TopicPartition partition : batch.partitions()) {
          List<ConsumerRecord<byte[], byte[]>> got = batch.records(partition);
          Long last = end.get(partition);
          if (last != null && got.get(got.size() - 1).offset() + 1 >= last) {
            end.remove(partition);
          }
        }
      }
      return new long[] {records, checksum, System.nanoTime()};
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
