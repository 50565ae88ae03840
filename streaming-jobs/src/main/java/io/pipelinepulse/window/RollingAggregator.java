package io.pipelinepulse.window;

import io.pipelinepulse.window.RollingWindow;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by a dimension: a rolling KPI over the windows of {@link RollingWindow}, as one-minute
 * tumbling buckets and a running total per window. At clock time T (a whole minute) window W
 * holds the measurements with time in [T - W, T); the current-state count holds every change
 * before T.
 *
 * <p>A bucket joins the totals when the clock passes its end and leaves window W one window-length
 * later, so the work is per bucket, not per minute of clock. The key keeps one event-time timer, at
 * the next of those moments ({@link RollingState}). When every window is empty and the current
 * count is zero, the key's state is gone.
 */
public final class RollingAggregator extends KeyedProcessFunction<String, Measurement, KpiSnapshot> {

  private static final RollingWindow[] WINDOWS = RollingState.WINDOWS;
  private static final Logger LOG = LoggerFactory.getLogger(RollingAggregator.class);

  private final RollingKpi[] kpis;

  private transient ValueState<RollingState> state;
  private transient double[] values;

  /** @param kpis the KPIs this aggregates, by {@link Measurement#kpi} */
  public RollingAggregator(RollingKpi... kpis) {
    this.kpis = kpis.clone();
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(
        new ValueStateDescriptor<>("rolling", TypeInformation.of(RollingState.class)));
    int most = 0;
    for (RollingKpi kpi : kpis) {
      most = Math.max(most, kpi.seriesCount());
    }
    values = new double[most];
  }

  @Override
  public void processElement(Measurement measurement, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    RollingState key = state.value();
    if (key == null) {
      key = new RollingState(measurement.kpi, measurement.labels);
    }
    long bucket = RollingWindow.bucketOf(measurement.time);
    if (bucket + RollingWindow.BUCKET_MILLIS <= ctx.timerService().currentWatermark()) {
      // Facts reach this operator before the clock passes them, so this does not happen; were it
      // to, counting it into a bucket the windows already hold would skew every later value.
      LOG.warn("dropped a measurement of {} behind the clock ({} <= {})", measurement.key(), measurement.time,
          ctx.timerService().currentWatermark());
      return;
    }
    RollingKpi kpi = kpis[key.kpi];
    key.bucket(bucket, kpi.counters(), kpi.sums()).add(measurement);
    arm(key, ctx.timerService());
    state.update(key);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    RollingState key = state.value();
    if (key == null) {
      return;
    }
    key.timer = RollingState.NONE;
    RollingKpi kpi = kpis[key.kpi];
    WindowTotals completed = key.meet(0, time);
    boolean allEmpty = true;
    for (int w = 0; w < WINDOWS.length; w++) {
      WindowTotals sum = key.windows[w];
      if (sum == null) {
        sum = new WindowTotals(kpi.counters(), kpi.sums());
        key.windows[w] = sum;
      }
      if (completed != null) {
        sum.addWindowed(completed, 1);
        sum.current += completed.current;
      }
      WindowTotals leaving = key.meet(w + 1, time);
      if (leaving != null) {
        sum.addWindowed(leaving, -1);
      }
      // A moment where a bucket leaves one window changes only that window: the others keep the
      // values already published.
      if (completed != null || leaving != null) {
        publishMoved(kpi, key, WINDOWS[w], sum, time, out);
      }
      allEmpty &= sum.isEmpty();
    }
    key.dropLeftBuckets();
    if (allEmpty && key.size == 0) {
      state.clear();
      return;
    }
    arm(key, ctx.timerService());
    state.update(key);
  }

  /** Keeps the key's one timer at its next moment. */
  private static void arm(RollingState key, TimerService timers) {
    long next = key.nextMeeting();
    if (next == key.timer) {
      return;
    }
    if (key.timer != RollingState.NONE) {
      timers.deleteEventTimeTimer(key.timer);
    }
    key.timer = next;
    if (next != RollingState.NONE) {
      timers.registerEventTimeTimer(next);
    }
  }

  /**
   * Publishes the series of one window whose value differs from the last one published (NaN equals
   * NaN: an absent series stays unpublished).
   */
  private void publishMoved(RollingKpi kpi, RollingState key, RollingWindow window, WindowTotals sum, long time,
      Collector<KpiSnapshot> out) {
    int count = kpi.seriesCount();
    if (key.published == null) {
      key.published = new double[WINDOWS.length * count];
      Arrays.fill(key.published, Double.NaN);
    }
    kpi.values(sum, values);
    int offset = window.ordinal() * count;
    for (int series = 0; series < count; series++) {
      if (Double.compare(key.published[offset + series], values[series]) != 0) {
        key.published[offset + series] = values[series];
        out.collect(kpi.snapshot(key.labels, window, series, values[series], time));
      }
    }
  }
}
