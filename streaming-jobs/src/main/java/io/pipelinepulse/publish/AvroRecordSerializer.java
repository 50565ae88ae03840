package io.pipelinepulse.publish;

import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records of one type to one topic in Avro single-object encoding, with a text key. */
public final class AvroRecordSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {

  private final String topic;
  private final SerializableSupplier<SingleObjectCodec<T>> codecFactory;
  private final SerializableFunction<T, byte[]> key;
  private transient SingleObjectCodec<T> codec;

  public AvroRecordSerializer(
      String topic, SerializableSupplier<SingleObjectCodec<T>> codecFactory, SerializableFunction<T, byte[]> key) {
    this.topic = topic;
    this.codecFactory = codecFactory;
    this.key = key;
  }

  /** An at-least-once Kafka sink of these records to {@code topic}. */
  public static <R extends SpecificRecordBase> KafkaSink<R> sink(String bootstrapServers, String topic,
      SerializableSupplier<SingleObjectCodec<R>> codecFactory, SerializableFunction<R, byte[]> key) {
    return KafkaSink.<R>builder()
        .setBootstrapServers(bootstrapServers)
        .setRecordSerializer(new AvroRecordSerializer<>(topic, codecFactory, key))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  public static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    codec = codecFactory.get();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = codecFactory.get();
    }
    // No event-time record timestamp: a backfill writes snapshots as of months ago, and the
    // broker's time-based retention would delete them at once. The payload carries the time.
    return new ProducerRecord<>(topic, null, null, key.apply(element), codec.encode(element));
  }
}
