package io.pipelinepulse.deals;

import io.pipelinepulse.directory.OpenTotals;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (pipeline, stage, team): sums open-pipeline deltas and publishes the open deal count,
 * amount and weighted amount when the clock passes the whole second of a change, so a burst of
 * changes within a second is published once.
 */
public final class OpenPipelineAggregator extends KeyedProcessFunction<String, DealFact, KpiSnapshot> {

  public static final String OPEN_DEALS = "pulse_open_deals";
  public static final String OPEN_AMOUNT = "pulse_open_pipeline_amount";
  public static final String WEIGHTED_AMOUNT = "pulse_weighted_pipeline_amount";

  private transient ValueState<OpenTotals> totals;

  @Override
  public void open(OpenContext openContext) {
    totals = getRuntimeContext().getState(new ValueStateDescriptor<>("open-totals", OpenTotals.class));
  }

  @Override
  public void processElement(DealFact delta, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    OpenTotals current = totals.value();
    if (current == null) {
      current = new OpenTotals(delta.pipeline, delta.stage, delta.team);
    }
    current.add(delta.countDelta, delta.amountDelta, delta.weightedDelta);
    totals.update(current);
    ctx.timerService().registerEventTimeTimer(endOfSecond(delta.time));
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    OpenTotals current = totals.value();
    if (current == null) {
      return;
    }
    Map<String, String> labels = Kpi.labels("pipeline", current.pipeline, "stage", current.stage, "team", current.team);
    out.collect(Kpi.gauge(OPEN_DEALS, labels, (double) current.count, time));
    out.collect(Kpi.gauge(OPEN_AMOUNT, labels, current.amount, time));
    out.collect(Kpi.gauge(WEIGHTED_AMOUNT, labels, current.weighted, time));
    if (current.count == 0) {
      totals.clear();
    }
  }

  static long endOfSecond(long time) {
    return Math.floorDiv(time, 1000L) * 1000L + 999L;
  }
}
