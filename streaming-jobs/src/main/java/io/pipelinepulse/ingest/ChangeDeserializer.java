package io.pipelinepulse.ingest;

import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record of an input topic into an {@link IngestedChange}: the decoded, valid
 * change, or a dead letter with the reason. It never throws, so bad data cannot stop the job.
 */
public final class ChangeDeserializer implements KafkaRecordDeserializationSchema<IngestedChange> {

  private final Map<String, InputFormat> formatByTopic;
  private final ChangeValidator validator;
  private transient SingleObjectCodec<CrmChange> canonical;

  public ChangeDeserializer(Map<String, InputFormat> formatByTopic, ChangeValidator validator) {
    this.formatByTopic = Map.copyOf(formatByTopic);
    this.validator = validator;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    canonical = Codecs.crmChange();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedChange> out) {
    if (canonical == null) {
      canonical = Codecs.crmChange();
    }
    IngestedChange ingested = new IngestedChange();
    InputFormat format = formatByTopic.getOrDefault(record.topic(), InputFormat.CANONICAL);
    ingested.format = format.configName();
    ingested.topic = record.topic();
    ingested.partition = record.partition();
    ingested.offset = record.offset();
    ingested.recordTimestamp = record.timestamp();
    try {
      CrmChange change = canonical.decode(record.value());
      validator.validate(change);
      ingested.change = change;
    } catch (UndecodableRecordException e) {
      ingested.deadLetter = deadLetter(ingested, record, e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      ingested.deadLetter = deadLetter(ingested, record, "undecodable", String.valueOf(e));
    }
    out.collect(ingested);
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
