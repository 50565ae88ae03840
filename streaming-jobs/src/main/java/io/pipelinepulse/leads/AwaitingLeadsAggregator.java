package io.pipelinepulse.leads;

import io.pipelinepulse.config.LeadRules;
import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.time.EventTimeBuffer;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (team, lead source): the leads awaiting a first touch, and how long the oldest has
 * waited. Published when the clock passes the second of a change, and only then: the oldest wait
 * grows one second per second of the clock until the next snapshot, so readers (the Prometheus
 * endpoint) add the clock's progress since {@code asOf}. A periodic refresh would cost a timer per
 * key per period of clock, millions of them when a backfill's clock crosses months.
 */
public final class AwaitingLeadsAggregator extends KeyedProcessFunction<String, DealFact, KpiSnapshot> {

  public static final String AWAITING = "pulse_leads_awaiting_response";
  public static final String OLDEST_WAIT = "pulse_lead_oldest_wait_seconds";
  /** The response SLA of the key's lead source, beside its response times for rules and dashboards. */
  public static final String SLA = "pulse_lead_response_sla_seconds";

  private final LeadRules rules;

  private transient EventTimeBuffer<DealFact> pending;
  /** Creation time of awaiting leads, with how many were created at that moment. */
  private transient MapState<Long, Long> createdAt;
  private transient MapState<String, String> labels;

  public AwaitingLeadsAggregator(LeadRules rules) {
    this.rules = rules;
  }

  @Override
  public void open(OpenContext openContext) {
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-deltas", io.pipelinepulse.types.DealFactSerializer.TYPE,
        (a, b) -> 0);
    createdAt = getRuntimeContext().getMapState(new MapStateDescriptor<>("created-at", Types.LONG, Types.LONG));
    labels = getRuntimeContext().getMapState(new MapStateDescriptor<>("labels", Types.STRING, Types.STRING));
  }

  @Override
  public void processElement(DealFact delta, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    pending.add(Math.floorDiv(delta.time, 1000L) * 1000L + 999L, delta, ctx.timerService());
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    boolean newlyAwaiting = labels.isEmpty();
    for (DealFact delta : pending.take(time)) {
      labels.put("team", delta.team);
      labels.put("lead_source", delta.stage);
      Long count = createdAt.get(delta.createdAt);
      long updated = (count == null ? 0 : count) + delta.countDelta;
      if (updated == 0) {
        createdAt.remove(delta.createdAt);
      } else {
        createdAt.put(delta.createdAt, updated);
      }
    }
    if (labels.isEmpty()) {
      return;
    }
    long total = 0;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<Long, Long> entry : createdAt.entries()) {
      total += entry.getValue();
      oldest = Math.min(oldest, entry.getKey());
    }
    Map<String, String> dimension = Kpi.labels("team", labels.get("team"), "lead_source", labels.get("lead_source"));
    if (newlyAwaiting) {
      out.collect(Kpi.gauge(SLA, dimension, rules.slaMillis(labels.get("lead_source")) / 1000.0, time));
    }
    out.collect(Kpi.gauge(AWAITING, dimension, (double) total, time));
    out.collect(Kpi.gauge(OLDEST_WAIT, dimension, total == 0 ? null : (time - oldest) / 1000.0, time));
    if (total == 0) {
      createdAt.clear();
      labels.clear();
    }
  }
}
