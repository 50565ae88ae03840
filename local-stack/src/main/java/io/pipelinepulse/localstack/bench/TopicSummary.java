package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the job wrote: records and bytes of its output topics, its KPI snapshots per metric, and its
 * dead letters by reason and origin.
 */
final class TopicSummary {

  /** Records read from a topic and their bytes (key + value, as the job handed them to Kafka). */
  record Volume(long records, long bytes) {}

  /** KPI snapshots counted per metric (the most frequent first), and their volume. */
  record Snapshots(List<Map.Entry<String, Long>> byMetric, Volume volume) {}

  private TopicSummary() {}

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-bench-summary");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Dead letters from {@code fromOffsets} (per partition of the dead-letter topic) to the end, as
   * lines: per reason and origin partition, how many and which offset range.
   */
  static List<String> deadLetters(String bootstrapServers, String topic, Map<TopicPartition, Long> fromOffsets) {
    SingleObjectCodec<DeadLetter> codec = Codecs.deadLetter();
    Map<String, long[]> groups = new TreeMap<>(); // reason + origin partition -> {count, min offset, max offset}
    readToEnd(bootstrapServers, topic, fromOffsets, record -> {
      DeadLetter letter = codec.decode(record.value());
      String key = String.format(Locale.ROOT, "%s from %s-%s", letter.getReason(), letter.getTopic(),
          letter.getPartition());
      long[] group = groups.computeIfAbsent(key, k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
      group[0]++;
      group[1] = Math.min(group[1], letter.getOffset());
      group[2] = Math.max(group[2], letter.getOffset());
    });
    return groups.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %,d (offsets %,d..%,d)",
        e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList();
  }

  /**
   * KPI snapshots from {@code fromOffsets} to the end, counted per metric, with their volume: one
   * pass, since a large backfill writes several snapshots per input change.
   */
  static Snapshots snapshotsByMetric(String bootstrapServers, String topic, Map<TopicPartition, Long> fromOffsets) {
    SingleObjectCodec<KpiSnapshot> codec = Codecs.kpiSnapshot();
    Map<String, Long> counts = new HashMap<>();
    Volume volume = readToEnd(bootstrapServers, topic, fromOffsets,
        record -> counts.merge(codec.decode(record.value()).getMetric(), 1L, Long::sum));
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    return new Snapshots(sorted, volume);
  }

  /** Records and bytes from {@code fromOffsets} to the end. */
  static Volume volume(String bootstrapServers, String topic, Map<TopicPartition, Long> fromOffsets) {
    return readToEnd(bootstrapServers, topic, fromOffsets, record -> { });
  }

  /** Reads every record from {@code fromOffsets} to the end offsets of now; returns what it read. */
  static Volume readToEnd(String bootstrapServers, String topic, Map<TopicPartition, Long> fromOffsets,
      Consumer<ConsumerRecord<byte[], byte[]>> reader) {
    long records = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      for (TopicPartition partition : partitions) {
        long from = fromOffsets.getOrDefault(partition, 0L);
        consumer.seek(partition, from);
        if (end.get(partition) <= from) {
          end.remove(partition);
        }
      }
      while (!end.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          Long last = end.get(partition);
          if (last != null && record.offset() + 1 >= last) {
            end.remove(partition);
          }
          records++;
          bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
          reader.accept(record);
        }
      }
    }
    return new Volume(records, bytes);
  }

  /** How many records were written between two readings of a topic's end offsets. */
  static long written(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
    long written = 0;
    for (Map.Entry<TopicPartition, Long> end : after.entrySet()) {
      written += end.getValue() - before.getOrDefault(end.getKey(), 0L);
    }
    return written;
  }

  static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      return new HashMap<>(consumer.endOffsets(partitions));
    }
  }
}
