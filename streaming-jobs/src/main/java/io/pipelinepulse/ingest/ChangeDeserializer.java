package io.pipelinepulse.ingest;

import io.pipelinepulse.config.DebeziumTables;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.ingest.formats.InputAdapters;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record of an input topic into {@link IngestedChange}s, through the adapter of
 * the topic's format: each decoded, valid change, or a dead letter with the reason. It never
 * throws, so bad data cannot stop the job.
 */
public final class ChangeDeserializer implements KafkaRecordDeserializationSchema<IngestedChange> {

  private final Map<String, InputFormat> formatByTopic;
  private final ChangeValidator validator;
  private final Map<InputFormat, InputAdapter> adapters = new EnumMap<>(InputFormat.class);

  public ChangeDeserializer(Map<String, InputFormat> formatByTopic, ChangeValidator validator, DebeziumTables debezium) {
    this.formatByTopic = Map.copyOf(formatByTopic);
    this.validator = validator;
    for (InputFormat format : InputFormat.values()) {
      adapters.put(format, InputAdapters.of(format, debezium));
    }
  }

  /** One change per change the record carries, each valid or dead-lettered on its own. */
  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedChange> out) {
    InputFormat format = formatByTopic.getOrDefault(record.topic(), InputFormat.CANONICAL);
    List<CrmChange> changes;
    try {
      changes = adapters.get(format).decode(record.key(), record.value());
    } catch (UndecodableRecordException e) {
      out.collect(deadLettered(format, record, e.reason(), e.getMessage()));
      return;
    } catch (RuntimeException e) {
      out.collect(deadLettered(format, record, "undecodable", String.valueOf(e)));
      return;
    }
    for (CrmChange change : changes) {
      IngestedChange ingested = origin(format, record);
      try {
        validator.validate(change);
        ingested.change = change;
      } catch (UndecodableRecordException e) {
        ingested.deadLetter = deadLetter(ingested, record, e.reason(), e.getMessage());
      } catch (RuntimeException e) {
        ingested.deadLetter = deadLetter(ingested, record, "undecodable", String.valueOf(e));
      }
      out.collect(ingested);
    }
  }

  private static IngestedChange origin(InputFormat format, ConsumerRecord<byte[], byte[]> record) {
    IngestedChange ingested = new IngestedChange();
    ingested.format = format.configName();
    ingested.topic = record.topic();
    ingested.partition = record.partition();
    ingested.offset = record.offset();
    ingested.recordTimestamp = record.timestamp();
    return ingested;
  }

  private static IngestedChange deadLettered(InputFormat format, ConsumerRecord<byte[], byte[]> record, String reason,
      String detail) {
    IngestedChange ingested = origin(format, record);
    ingested.deadLetter = deadLetter(ingested, record, reason, detail);
    return ingested;
  }

  private static DeadLetter deadLetter(
      IngestedChange origin, ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
    DeadLetter letter = origin.toDeadLetter(reason, detail == null ? "" : detail, record.value());
    letter.setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()));
    return letter;
  }

  @Override
  public TypeInformation<IngestedChange> getProducedType() {
    return IngestedChangeSerializer.TYPE;
  }
}
