package io.pipelinepulse.publish;

import io.pipelinepulse.config.PulseConfig.MetricsSettings;
import io.pipelinepulse.config.PulseConfig.StartingOffsets;
import io.pipelinepulse.ingest.InputOutcomeCounter;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.types.KpiSnapshotSerializer;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Serves the latest KPI values on an HTTP endpoint for Prometheus. Runs with parallelism 1 so a
 * scrape sees every series. Its values are checkpointed, so a restored job serves the same values
 * at once instead of an empty page until every KPI changes again. It also sees the job's
 * watermark, the "now" behind {@code pulse_clock_lag_seconds}. Input counters start at zero. It
 * tells where the job's state came from ({@link StateOrigin}).
 */
public final class PrometheusPublisher extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<KpiSnapshot, Void> {

  private final MetricsSettings settings;
  private final List<String> inputFormats;
  private final StartingOffsets startingOffsets;
  private final boolean startedFromSavepoint;
  private transient LatestKpis latest;
  private transient HTTPServer server;
  private transient ListState<KpiSnapshot> checkpointed;

  /**
   * @param inputFormats formats of the input topics, whose input counters start at zero
   * @param startingOffsets where the input is read from when no state is restored
   * @param startedFromSavepoint whether the job was submitted to restore a savepoint
   */
  public PrometheusPublisher(MetricsSettings settings, List<String> inputFormats, StartingOffsets startingOffsets,
      boolean startedFromSavepoint) {
    this.settings = settings;
    this.inputFormats = List.copyOf(inputFormats);
    this.startingOffsets = startingOffsets;
    this.startedFromSavepoint = startedFromSavepoint;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    latest = new LatestKpis(System::currentTimeMillis);
    checkpointed = context.getOperatorStateStore().getListState(
        new ListStateDescriptor<>("latest-kpis", KpiSnapshotSerializer.TYPE));
    for (KpiSnapshot snapshot : checkpointed.get()) {
      latest.apply(snapshot);
    }
    InputOutcomeCounter.zeroCounts(inputFormats).forEach(latest::applyIfAbsent);
    StateOrigin origin = StateOrigin.of(context.isRestored(),
        startedFromSavepoint && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0, startingOffsets);
    latest.stateOrigin(origin);
    if (origin == StateOrigin.NONE) {
      LOG.warn("Pipeline Pulse starts with empty state from the {} offsets (kafka.starting-offsets: {}): its KPIs"
          + " and alerts leave out the history before them. Set kafka.starting-offsets: earliest to rebuild the"
          + " state from the retained input, or restore a checkpoint or savepoint.",
          startingOffsets.name().toLowerCase(java.util.Locale.ROOT),
          startingOffsets.name().toLowerCase(java.util.Locale.ROOT));
    } else {
      LOG.info("Pipeline Pulse's state: {}", origin.label());
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(latest);
    server = HTTPServer.builder()
        .hostname(settings.host())
        .port(settings.port())
        .registry(registry)
        .buildAndStart();
    LOG.info("Pipeline Pulse metrics at http://{}:{}/metrics", settings.host(), server.getPort());
  }

  @Override
  public void processElement(StreamRecord<KpiSnapshot> element) {
    latest.apply(element.getValue());
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(mark);
    latest.watermark(mark.getTimestamp());
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    checkpointed.update(new java.util.ArrayList<>(latest.all()));
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
    super.close();
  }
}
