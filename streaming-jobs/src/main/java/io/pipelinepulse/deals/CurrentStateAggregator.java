package io.pipelinepulse.deals;

import io.pipelinepulse.directory.OpenTotals;
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
 * Keyed by a dimension of a kind of current state ({@link CurrentStateSeries#keyOf}: open,
 * stalled, past due, missing a field, close-date pushes so far): sums its deltas and publishes the
 * series of {@link CurrentStateSeries}
 * when the clock passes the whole second of a change, so a burst of changes within a second is
 * published once. Deltas wait for their second: when the clock jumps
 * several seconds at once, each published snapshot still holds exactly the changes up to its
 * own time.
 */
public final class CurrentStateAggregator extends KeyedProcessFunction<String, DealFact, KpiSnapshot> {

  private transient ValueState<OpenTotals> totals;
  private transient MapState<Long, OpenTotals> pendingBySecond;
  /** The value each series last published (NaN: never). */
  private transient ValueState<double[]> published;
  private transient double[] values;

  @Override
  public void open(OpenContext openContext) {
    totals = getRuntimeContext().getState(new ValueStateDescriptor<>("open-totals", OpenTotals.class));
    pendingBySecond = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-deltas", Types.LONG, TypeInformation.of(OpenTotals.class)));
    published = getRuntimeContext().getState(new ValueStateDescriptor<>("published-values", double[].class));
    values = new double[3];
  }

  @Override
  public void processElement(DealFact delta, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    long second = endOfSecond(delta.time);
    OpenTotals pending = pendingBySecond.get(second);
    if (pending == null) {
      pending = new OpenTotals(delta.pipeline, delta.stage, delta.team);
      pending.kind = delta.kind;
      ctx.timerService().registerEventTimeTimer(second);
    }
    pending.count += delta.countDelta;
    pending.amount += delta.amountDelta;
    pending.weighted += delta.weightedDelta;
    pendingBySecond.put(second, pending);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    OpenTotals delta = pendingBySecond.get(time);
    if (delta == null) {
      return;
    }
    pendingBySecond.remove(time);
    OpenTotals current = totals.value();
    if (current == null) {
      current = new OpenTotals(delta.pipeline, delta.stage, delta.team);
      current.kind = delta.kind;
    }
    current.add(delta.count, delta.amount, delta.weighted);
    totals.update(current);
    publishMoved(current, time, out);
    if (current.count == 0) {
      totals.clear();
      published.clear();
    }
  }

  private void publishMoved(OpenTotals current, long time, Collector<KpiSnapshot> out) throws Exception {
    CurrentStateSeries series = CurrentStateSeries.of(current.kind);
    int count = series.seriesCount();
    series.values(current, values);
    double[] last = published.value();
    if (last == null) {
      last = new double[count];
      java.util.Arrays.fill(last, Double.NaN);
    }
    boolean moved = false;
    for (int i = 0; i < count; i++) {
      if (Double.compare(last[i], values[i]) != 0) {
        last[i] = values[i];
        out.collect(series.snapshot(current, i, values[i], time));
        moved = true;
      }
    }
    if (moved) {
      published.update(last);
    }
  }

  static long endOfSecond(long time) {
    return Math.floorDiv(time, 1000L) * 1000L + 999L;
  }
}
