package io.pipelinepulse.ingest;

import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts input outcomes per (format, entity, outcome) in keyed state, so the published counter
 * is exact across restarts from a checkpoint. Publishes at most once per interval per key: the
 * count, not every increment, is what a scrape needs.
 */
public final class InputOutcomeCounter extends KeyedProcessFunction<String, InputOutcome, KpiSnapshot> {

  public static final String METRIC = "pulse_input_events_total";

  private final long publishIntervalMillis;
  private transient ValueState<Long> count;
  private transient ValueState<InputOutcome> labels;
  private transient ValueState<Boolean> publishPending;

  public InputOutcomeCounter(long publishIntervalMillis) {
    this.publishIntervalMillis = publishIntervalMillis;
  }

  /**
   * A zero for every counter the given input formats can ever have. Served before the first count,
   * they let {@code rate()} and {@code increase()} see the first dead letter or gap event (a counter
   * that appears at 1 has no increase) and let dashboards show 0 rather than no data.
   */
  public static List<KpiSnapshot> zeroCounts(Collection<String> formats) {
    List<KpiSnapshot> zeros = new ArrayList<>();
    for (String format : formats) {
      for (Entity entity : Entity.values()) {
        for (String outcome : List.of(InputOutcome.ACCEPTED, InputOutcome.DUPLICATE, InputOutcome.LATE,
            InputOutcome.INVALID, InputOutcome.GAP, InputOutcome.FAILED)) {
          zeros.add(zero(new InputOutcome(format, InputOutcome.entityLabel(entity), outcome)));
        }
      }
      zeros.add(zero(new InputOutcome(format, InputOutcome.entityLabel(null), InputOutcome.INVALID)));
    }
    for (Entity entity : List.of(Entity.OPPORTUNITY, Entity.LEAD)) {
      zeros.add(zero(new InputOutcome(InputOutcome.CLOCK, InputOutcome.entityLabel(entity), InputOutcome.FAILED)));
    }
    return zeros;
  }

  private static KpiSnapshot zero(InputOutcome outcome) {
    return Kpi.counter(METRIC, Kpi.labels("format", outcome.format, "entity", outcome.entity, "outcome", outcome.outcome),
        0, 0);
  }

  @Override
  public void open(OpenContext openContext) {
    count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
    labels = getRuntimeContext().getState(new ValueStateDescriptor<>("labels", InputOutcome.class));
    publishPending = getRuntimeContext().getState(new ValueStateDescriptor<>("publish-pending", Boolean.class));
  }

  @Override
  public void processElement(InputOutcome outcome, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    Long current = count.value();
    count.update(current == null ? outcome.count : current + outcome.count);
    if (current == null) {
      labels.update(outcome);
    }
    if (publishPending.value() == null) {
      publishPending.update(Boolean.TRUE);
      ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + publishIntervalMillis);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    publishPending.clear();
    InputOutcome outcome = labels.value();
    long watermark = ctx.timerService().currentWatermark();
    out.collect(Kpi.counter(METRIC,
        Kpi.labels("format", outcome.format, "entity", outcome.entity, "outcome", outcome.outcome),
        count.value(), Math.max(watermark, 0)));
  }
}
