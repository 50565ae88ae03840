package io.pipelinepulse.deals;

import io.pipelinepulse.facts.Fact;
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
 * series of {@link CurrentStateSeries} when the clock passes the end of a change's step of
 * {@code clock.current-state-step}, so a burst of changes within a step is published once. Deltas wait for
 * their step: when the clock jumps several steps at once, each published snapshot still holds
 * exactly the changes up to its own time. The step adds up to its length to the time from a
 * change to its metric; a shorter one publishes more snapshots where changes are dense.
 */
public final class CurrentStateAggregator extends KeyedProcessFunction<String, Fact, KpiSnapshot> {

  private final long stepMillis;

  private transient ValueState<StateTotals> totals;
  private transient MapState<Long, StateTotals> pendingByStep;
  /** The value each series last published (NaN: never). */
  private transient ValueState<double[]> published;
  private transient double[] values;

  /** @param step how much of the clock one publication covers */
  public CurrentStateAggregator(java.time.Duration step) {
    this.stepMillis = step.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    totals = getRuntimeContext().getState(new ValueStateDescriptor<>("open-totals", StateTotals.class));
    pendingByStep = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-deltas", Types.LONG, TypeInformation.of(StateTotals.class)));
    published = getRuntimeContext().getState(new ValueStateDescriptor<>("published-values", double[].class));
    values = new double[3];
  }

  @Override
  public void processElement(Fact fact, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    StateTotals change = CurrentStateSeries.changeOf(fact);
    long step = endOfStep(fact.time(), stepMillis);
    StateTotals pending = pendingByStep.get(step);
    if (pending == null) {
      pending = change;
      ctx.timerService().registerEventTimeTimer(step);
    } else {
      pending.accumulate(change.count, change.amount, change.weighted);
    }
    pendingByStep.put(step, pending);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    StateTotals delta = pendingByStep.get(time);
    if (delta == null) {
      return;
    }
    pendingByStep.remove(time);
    StateTotals current = totals.value();
    if (current == null) {
      current = new StateTotals(delta.series, delta.pipeline, delta.detail, delta.team);
    }
    current.add(delta.count, delta.amount, delta.weighted);
    totals.update(current);
    publishMoved(current, time, out);
    if (current.count == 0) {
      totals.clear();
      published.clear();
    }
  }

  private void publishMoved(StateTotals current, long time, Collector<KpiSnapshot> out) throws Exception {
    CurrentStateSeries series = current.series;
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

  static long endOfStep(long time, long stepMillis) {
    return Math.floorDiv(time, stepMillis) * stepMillis + stepMillis - 1;
  }
}
