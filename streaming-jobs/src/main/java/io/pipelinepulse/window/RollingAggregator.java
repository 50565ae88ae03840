package io.pipelinepulse.window;

import io.pipelinepulse.funnel.RollingWindow;
import io.pipelinepulse.schema.KpiSnapshot;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by a dimension: a rolling KPI over the windows of {@link RollingWindow}, as one-minute
 * tumbling buckets and a running total per window. At clock time T (a whole minute) window W
 * holds the measurements with time in [T - W, T); the current-state count holds every change
 * before T.
 *
 * <p>A bucket joins the totals when the clock passes its end and leaves window W one window-length
 * later; both are event-time timers, so the work is per bucket, not per minute of clock. When
 * every window is empty and the current count is zero, the key's state is gone.
 */
public final class RollingAggregator extends KeyedProcessFunction<String, Measurement, KpiSnapshot> {

  private static final RollingWindow[] WINDOWS = RollingWindow.values();

  private final RollingKpi[] kpis;

  private transient MapState<Long, WindowTotals> buckets;
  private transient MapState<String, WindowTotals> totals;
  private transient ValueState<String[]> labels;
  private transient ValueState<Integer> kpiIndex;
  /** Per window, the value each series last published (NaN: absent or never published). */
  private transient ValueState<double[]> published;
  private transient double[] values;

  /** @param kpis the KPIs this aggregates, by {@link Measurement#kpi} */
  public RollingAggregator(RollingKpi... kpis) {
    this.kpis = kpis.clone();
  }

  @Override
  public void open(OpenContext openContext) {
    buckets = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("buckets", Types.LONG, TypeInformation.of(WindowTotals.class)));
    totals = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("window-totals", Types.STRING, TypeInformation.of(WindowTotals.class)));
    labels = getRuntimeContext().getState(new ValueStateDescriptor<>("labels", String[].class));
    kpiIndex = getRuntimeContext().getState(new ValueStateDescriptor<>("kpi", Types.INT));
    published = getRuntimeContext().getState(new ValueStateDescriptor<>("published-values", double[].class));
    int most = 0;
    for (RollingKpi kpi : kpis) {
      most = Math.max(most, kpi.seriesCount());
    }
    values = new double[most];
  }

  @Override
  public void processElement(Measurement measurement, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    if (labels.value() == null) {
      labels.update(measurement.labels);
      kpiIndex.update(measurement.kpi);
    }
    RollingKpi kpi = kpis[measurement.kpi];
    long bucket = RollingWindow.bucketOf(measurement.time);
    WindowTotals totalsOfBucket = buckets.get(bucket);
    if (totalsOfBucket == null) {
      totalsOfBucket = new WindowTotals(kpi.counters(), kpi.sums());
      long bucketEnd = bucket + RollingWindow.BUCKET_MILLIS;
      ctx.timerService().registerEventTimeTimer(bucketEnd);
      for (RollingWindow window : WINDOWS) {
        ctx.timerService().registerEventTimeTimer(bucketEnd + window.millis());
      }
    }
    totalsOfBucket.add(measurement);
    buckets.put(bucket, totalsOfBucket);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    Integer index = kpiIndex.value();
    if (index == null) {
      return; // the key's state is gone: a timer of a bucket that left every window with it
    }
    RollingKpi kpi = kpis[index];
    WindowTotals completed = buckets.get(time - RollingWindow.BUCKET_MILLIS);
    boolean allEmpty = true;
    double[] last = published.value();
    boolean moved = false;
    for (RollingWindow window : WINDOWS) {
      WindowTotals sum = totals.get(window.label());
      if (sum == null) {
        sum = new WindowTotals(kpi.counters(), kpi.sums());
      }
      if (completed != null) {
        sum.addWindowed(completed, 1);
        sum.current += completed.current;
      }
      WindowTotals leaving = buckets.get(time - RollingWindow.BUCKET_MILLIS - window.millis());
      if (leaving != null) {
        sum.addWindowed(leaving, -1);
      }
      // A timer where a bucket leaves one window changes only that window: the others keep the
      // values already published.
      if (completed != null || leaving != null) {
        totals.put(window.label(), sum);
        if (last == null) {
          last = new double[WINDOWS.length * kpi.seriesCount()];
          java.util.Arrays.fill(last, Double.NaN);
        }
        moved |= publishMoved(kpi, window, sum, last, time, out);
      }
      allEmpty &= sum.isEmpty();
    }
    if (moved) {
      published.update(last);
    }
    buckets.remove(time - RollingWindow.BUCKET_MILLIS - RollingWindow.D30.millis());
    if (allEmpty && buckets.isEmpty()) {
      buckets.clear();
      totals.clear();
      labels.clear();
      kpiIndex.clear();
      published.clear();
    }
  }

  /**
   * Publishes the series of one window whose value differs from the last one published (NaN equals
   * NaN: an absent series stays unpublished). Returns whether any did.
   */
  private boolean publishMoved(RollingKpi kpi, RollingWindow window, WindowTotals sum, double[] last, long time,
      Collector<KpiSnapshot> out) throws Exception {
    kpi.values(sum, values);
    int count = kpi.seriesCount();
    int offset = window.ordinal() * count;
    boolean moved = false;
    for (int series = 0; series < count; series++) {
      if (Double.compare(last[offset + series], values[series]) != 0) {
        last[offset + series] = values[series];
        out.collect(kpi.snapshot(labels.value(), window, series, values[series], time));
        moved = true;
      }
    }
    return moved;
  }
}
