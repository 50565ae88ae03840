package io.pipelinepulse.publish;

import io.pipelinepulse.batching.BatchingOperator;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
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
public final class LatestPerSeries extends BatchingOperator<KpiSnapshot, KpiSnapshot> {

  private transient Map<String, KpiSnapshot> latest;

  public LatestPerSeries(long flushIntervalMillis) {
    super(flushIntervalMillis);
  }

  @Override
  protected void openBatch() {
    latest = new LinkedHashMap<>();
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
  protected void flush() {
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
