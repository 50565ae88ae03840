package io.pipelinepulse.ingest;

import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
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

  /** The dead letters' operator for input refused as it is read. */
  public static final String DECODE = "decode";

  private final Map<String, InputFormat> formatByTopic;
  private final ChangeValidator validator;
  private final DeadLetters deadLetters;
  private final Map<InputFormat, InputAdapter> adapters = new EnumMap<>(InputFormat.class);

  /** @param config the settings of the input formats (table and field mappings) */
  public ChangeDeserializer(Map<String, InputFormat> formatByTopic, ChangeValidator validator, PulseConfig config) {
    this.formatByTopic = Map.copyOf(formatByTopic);
    this.validator = validator;
    this.deadLetters = new DeadLetters(config.deadLetters());
    for (InputFormat format : InputFormat.values()) {
      adapters.put(format, InputAdapters.of(format, config));
    }
  }

  /** One change per change the record carries, each valid or dead-lettered on its own. */
  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedChange> out) {
    InputFormat format = formatByTopic.getOrDefault(record.topic(), InputFormat.CANONICAL);
    Decoded decoded;
    try {
      decoded = adapters.get(format).decode(record.key(), record.value());
    } catch (UndecodableRecordException e) {
      out.collect(deadLettered(format, record, e.reason(), e.getMessage()));
      return;
    } catch (RuntimeException e) {
      out.collect(deadLettered(format, record, "undecodable", String.valueOf(e)));
      return;
    }
    for (Decoded.Refused part : decoded.refused()) {
      IngestedChange ingested = origin(format, record);
      ingested.deadLetter = deadLetter(ingested, record, part.reason(), part.detail(), part.value());
      out.collect(ingested);
    }
    for (Decoded.Gap gap : decoded.gaps()) {
      IngestedChange ingested = origin(format, record);
      ingested.gap = GapEvent.newBuilder()
          .setOrigin(gap.origin())
          .setEntity(gap.sourceEntity())
          .setGapType(gap.gapType())
          .setRecordIds(List.copyOf(gap.recordIds()))
          .setCommitTime(gap.commitTime())
          .setTransactionKey(gap.transactionKey())
          .setFormat(ingested.format)
          .setTopic(ingested.topic)
          .setPartition(ingested.partition)
          .setOffset(ingested.offset)
          .build();
      ingested.gapEntity = gap.entityLabel();
      out.collect(ingested);
    }
    long wallNow = System.currentTimeMillis();
    for (CrmChange change : decoded.changes()) {
      IngestedChange ingested = origin(format, record);
      try {
        validator.validate(change, wallNow);
        ingested.change = change;
      } catch (UndecodableRecordException e) {
        ingested.deadLetter = deadLetter(ingested, record, e.reason(), e.getMessage(), record.value());
      } catch (RuntimeException e) {
        ingested.deadLetter = deadLetter(ingested, record, "undecodable", String.valueOf(e), record.value());
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

  private IngestedChange deadLettered(InputFormat format, ConsumerRecord<byte[], byte[]> record, String reason,
      String detail) {
    IngestedChange ingested = origin(format, record);
    ingested.deadLetter = deadLetter(ingested, record, reason, detail, record.value());
    return ingested;
  }

  /** {@code value}: the record's value, or the part of it that was refused. */
  private DeadLetter deadLetter(IngestedChange origin, ConsumerRecord<byte[], byte[]> record, String reason,
      String detail, byte[] value) {
    return deadLetters.of(origin, DECODE, reason, detail, record.key(), value);
  }

  @Override
  public TypeInformation<IngestedChange> getProducedType() {
    return IngestedChangeSerializer.TYPE;
  }
}
