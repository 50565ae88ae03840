package io.pipelinepulse.publish;

import io.pipelinepulse.schema.KpiSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to a KPI-making operator on the way to the Prometheus endpoint: passes on, per series,
 * only the latest snapshot since the last flush. An endpoint serves the latest value of each series,
 * and in a backfill one series changes many times between two watermarks; the endpoint's single
 * task then receives a value per changed series, not per change.
 *
 * <p>Flushes on every watermark (the endpoint's clock lag never runs ahead of its values), at a
 * short processing-time interval (counters published on wall time while the clock stands still),
 * before every checkpoint barrier (so it holds nothing a checkpoint would have to keep) and at the
 * end of input.
 */
public final class LatestPerSeries extends AbstractStreamOperator<KpiSnapshot>
    implements OneInputStreamOperator<KpiSnapshot, KpiSnapshot>, ProcessingTimeCallback {

  private final long flushIntervalMillis;
  private transient Map<String, KpiSnapshot> latest;

  public LatestPerSeries(long flushIntervalMillis) {
    this.flushIntervalMillis = flushIntervalMillis;
  }

  @Override
  public void open() throws Exception {
    super.open();
    latest = new LinkedHashMap<>();
    scheduleFlush();
  }

  @Override
  public void processElement(StreamRecord<KpiSnapshot> element) {
    KpiSnapshot snapshot = element.getValue();
    latest.put(seriesOf(snapshot), snapshot);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void onProcessingTime(long time) {
    flush();
    scheduleFlush();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void scheduleFlush() {
    getProcessingTimeService().registerTimer(
        getProcessingTimeService().getCurrentProcessingTime() + flushIntervalMillis, this);
  }

  private void flush() {
    if (latest.isEmpty()) {
      return;
    }
    for (KpiSnapshot snapshot : latest.values()) {
      output.collect(new StreamRecord<>(snapshot));
    }
    latest.clear();
  }

  /**
   * The series of a snapshot: its metric and label values. Every publisher builds a metric's labels
   * in one order, so the values alone tell its series apart without sorting the names.
   */
  static String seriesOf(KpiSnapshot snapshot) {
    StringBuilder series = new StringBuilder(64).append(snapshot.getMetric());
    for (String value : snapshot.getLabels().values()) {
      series.append('\u0000').append(value);
    }
    return series.toString();
  }
}
