package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick: one plain {@link KafkaConsumer} on one thread reads a whole topic from the start
 * and decodes every value with the canonical codec, nothing else.
 */
final class RawConsumeRate {

  record Result(long records, double seconds, long checksum) {
    double perSecond() {
      return records / seconds;
    }
  }

  private RawConsumeRate() {}

  static Result measure(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-bench-raw");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      end.values().removeIf(offset -> offset == 0);
      consumer.seekToBeginning(partitions);
      long records = 0;
      long checksum = 0;
      long began = System.nanoTime();
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
      return new Result(records, (System.nanoTime() - began) / 1e9, checksum);
    }
  }
}
