package io.pipelinepulse.funnel;

import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.Map;
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
 * Keyed by (pipeline, stage, team): stage conversion over the rolling windows, as one-minute
 * tumbling buckets and a running sum per window. At clock time T (a whole minute) the window W
 * holds the exits with time in [T - W, T).
 *
 * <p>A bucket joins every window's sum when the clock passes its end and leaves window W one
 * window-length later; both moments are event-time timers, so the work is per bucket, not per
 * minute of clock. When the 30-day window is empty the key's state is gone.
 */
public final class StageConversionAggregator extends KeyedProcessFunction<String, DealFact, KpiSnapshot> {

  public static final String EXITS = "pulse_stage_exits";
  public static final String ADVANCES = "pulse_stage_advances";
  public static final String RATIO = "pulse_stage_conversion_ratio";

  private static final RollingWindow[] WINDOWS = RollingWindow.values();

  private transient MapState<Long, ExitCounts> buckets;
  private transient MapState<String, ExitCounts> sums;
  private transient ValueState<DealFact> dimension;

  @Override
  public void open(OpenContext openContext) {
    buckets = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("buckets", Types.LONG, TypeInformation.of(ExitCounts.class)));
    sums = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("window-sums", Types.STRING, TypeInformation.of(ExitCounts.class)));
    dimension = getRuntimeContext().getState(new ValueStateDescriptor<>("dimension", DealFact.class));
  }

  @Override
  public void processElement(DealFact exit, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    if (dimension.value() == null) {
      dimension.update(exit);
    }
    long bucket = RollingWindow.bucketOf(exit.time);
    ExitCounts counts = buckets.get(bucket);
    if (counts == null) {
      counts = new ExitCounts();
      long bucketEnd = bucket + RollingWindow.BUCKET_MILLIS;
      ctx.timerService().registerEventTimeTimer(bucketEnd);
      for (RollingWindow window : WINDOWS) {
        ctx.timerService().registerEventTimeTimer(bucketEnd + window.millis());
      }
    }
    counts.add(1, exit.advance ? 1 : 0);
    buckets.put(bucket, counts);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    ExitCounts completed = buckets.get(time - RollingWindow.BUCKET_MILLIS);
    for (RollingWindow window : WINDOWS) {
      ExitCounts sum = sums.get(window.label());
      if (sum == null) {
        sum = new ExitCounts();
      }
      if (completed != null) {
        sum.add(completed.exits, completed.advances);
      }
      ExitCounts leaving = buckets.get(time - RollingWindow.BUCKET_MILLIS - window.millis());
      if (leaving != null) {
        sum.add(-leaving.exits, -leaving.advances);
      }
      sums.put(window.label(), sum);
      publish(window, sum, time, out);
    }
    long expired = time - RollingWindow.BUCKET_MILLIS - RollingWindow.D30.millis();
    buckets.remove(expired);
    if (buckets.isEmpty()) {
      buckets.clear();
      sums.clear();
      dimension.clear();
    }
  }

  private void publish(RollingWindow window, ExitCounts sum, long time, Collector<KpiSnapshot> out)
      throws Exception {
    DealFact dim = dimension.value();
    Map<String, String> labels = Kpi.labels(
        "pipeline", dim.pipeline, "stage", dim.stage, "team", dim.team, "window", window.label());
    out.collect(Kpi.gauge(EXITS, labels, (double) sum.exits, time));
    out.collect(Kpi.gauge(ADVANCES, labels, (double) sum.advances, time));
    out.collect(sum.exits == 0
        ? Kpi.absent(RATIO, labels, time)
        : Kpi.gauge(RATIO, labels, (double) sum.advances / sum.exits, time));
  }
}
