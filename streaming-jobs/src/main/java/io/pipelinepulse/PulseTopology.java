package io.pipelinepulse;

import io.pipelinepulse.alerts.AlertmanagerPublisher;
import io.pipelinepulse.alerts.RecordAlert;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig.InputTopic;
import io.pipelinepulse.ingest.ChangeDeserializer;
import io.pipelinepulse.ingest.ChangeValidator;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.PulseClock;
import io.pipelinepulse.ingest.PulseClockStrategy;
import io.pipelinepulse.publish.AvroRecordSerializer;
import io.pipelinepulse.publish.LatestKpis;
import io.pipelinepulse.publish.LatestPerSeries;
import io.pipelinepulse.publish.PrometheusPublisher;
import io.pipelinepulse.topics.TopicCheck;
import io.pipelinepulse.topics.TopicSetupException;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.types.KpiSnapshotSerializer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's wiring: its topics checked, the Kafka source, {@link PulseDataflow}, and its outputs
 * to the Kafka topics, the Prometheus endpoint and Alertmanager. Every operator has a stable uid,
 * so a savepoint taken by one version restores into the next.
 */
public final class PulseTopology {

  /** How long the endpoint may wait for a value it has not been sent, at most. */
  private static final long ENDPOINT_FLUSH_MILLIS = 500;

  private PulseTopology() {}

  /**
   * Checks the job's topics first (creating the missing ones with {@code kafka.create-topics}), so
   * no source or sink meets a topic that does not exist; throws {@link TopicSetupException} naming
   * the missing ones otherwise.
   */
  public static void attach(StreamExecutionEnvironment env, PulseConfig config, PulseClock.WallClock wallClock) {
    TopicCheck.ensure(config.kafka());
    DataStream<IngestedChange> input = env
        .fromSource(kafkaSource(config), PulseClockStrategy.of(config.clock(), wallClock), "crm-change-topics")
        .uid("source-crm-changes");
    PulseDataflow.Outputs outputs = PulseDataflow.build(input, config);

    boolean fromSavepoint = env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent();
    DataStream<KpiSnapshot> toEndpoint = null;
    for (DataStream<KpiSnapshot> kpis : outputs.kpiStreams()) {
      // Both chained to the operator that makes the snapshots: no network hop on the way out.
      String from = kpis.getTransformation().getUid();
      kpis.sinkTo(AvroRecordSerializer.sink(config.kafka().bootstrapServers(), config.kafka().kpiTopic(),
          Codecs::kpiSnapshot, kpi -> AvroRecordSerializer.utf8(LatestKpis.seriesKey(kpi))))
          .name("kpi-topic").uid("sink-kpi-topic-" + from);
      DataStream<KpiSnapshot> latest = kpis.transform("latest-per-series", KpiSnapshotSerializer.TYPE,
          new LatestPerSeries(ENDPOINT_FLUSH_MILLIS)).uid("latest-per-series-" + from);
      toEndpoint = toEndpoint == null ? latest : toEndpoint.union(latest);
    }
    toEndpoint.transform("prometheus-endpoint", Types.VOID, new PrometheusPublisher(config.metrics(),
        config.kafka().inputs().stream().map(topic -> topic.format().configName()).distinct().toList(),
        config.kafka().startingOffsets(), fromSavepoint))
        .setParallelism(1).setMaxParallelism(1).uid("publish-prometheus")
        .sinkTo(new DiscardingSink<>()).name("end").uid("publish-prometheus-end").setParallelism(1);
    outputs.deadLetters().sinkTo(AvroRecordSerializer.sink(config.kafka().bootstrapServers(),
        config.kafka().deadLetterTopic(), Codecs::deadLetter, letter -> bytes(letter.getKey())))
        .name("dead-letter-topic").uid("sink-dead-letter-topic");
    outputs.gaps().sinkTo(AvroRecordSerializer.sink(config.kafka().bootstrapServers(),
        config.kafka().reconciliationTopic(), Codecs::gapEvent,
        gap -> AvroRecordSerializer.utf8(gap.getEntity().toString())))
        .name("reconciliation-topic").uid("sink-reconciliation-topic");
    outputs.alerts().sinkTo(AvroRecordSerializer.sink(config.kafka().bootstrapServers(), config.kafka().alertsTopic(),
        Codecs::alertEvent, alert -> AvroRecordSerializer.utf8(RecordAlert.identity(alert))))
        .name("alerts-topic").uid("sink-alerts-topic");
    outputs.alerts().transform("alertmanager", Types.VOID, new AlertmanagerPublisher(config.alerts(), wallClock))
        .setParallelism(1).setMaxParallelism(1).uid("publish-alertmanager")
        .sinkTo(new DiscardingSink<>()).name("alertmanager-end").uid("publish-alertmanager-end").setParallelism(1);
  }

  private static KafkaSource<IngestedChange> kafkaSource(PulseConfig config) {
    Map<String, InputFormat> formats = new LinkedHashMap<>();
    for (InputTopic input : config.kafka().inputs()) {
      formats.put(input.topic(), input.format());
    }
    OffsetsInitializer start = switch (config.kafka().startingOffsets()) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
    return KafkaSource.<IngestedChange>builder()
        .setBootstrapServers(config.kafka().bootstrapServers())
        .setGroupId(config.kafka().groupId())
        .setTopics(formats.keySet().stream().toList())
        .setStartingOffsets(start)
        .setDeserializer(new ChangeDeserializer(formats, new ChangeValidator(config.currency(), config.input()), config))
        .setProperty("commit.offsets.on.checkpoint", "true")
        .setProperty("partition.discovery.interval.ms", "60000")
        .build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
