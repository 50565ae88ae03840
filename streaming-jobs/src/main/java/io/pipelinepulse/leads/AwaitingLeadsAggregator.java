package io.pipelinepulse.leads;

import io.pipelinepulse.config.LeadRules;
import io.pipelinepulse.facts.AwaitingDelta;
import io.pipelinepulse.facts.FactSerializer;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.time.EventTimeBuffer;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (team, lead source): the leads awaiting a first touch, and how long the oldest has
 * waited. Published when the clock passes the second of a change, and only then: the oldest wait
 * grows one second per second of the clock until the next snapshot, so readers (the Prometheus
 * endpoint) add the clock's progress since {@code asOf}. A periodic refresh would cost a timer per
 * key per period of clock, millions of them when a backfill's clock crosses months.
 */
public final class AwaitingLeadsAggregator extends KeyedProcessFunction<String, AwaitingDelta, KpiSnapshot> {

  public static final String AWAITING = "pulse_leads_awaiting_response";
  public static final String OLDEST_WAIT = "pulse_lead_oldest_wait_seconds";
  /** The response SLA of the key's lead source, beside its response times for rules and dashboards. */
  public static final String SLA = "pulse_lead_response_sla_seconds";

  private final LeadRules rules;

  private transient EventTimeBuffer<AwaitingDelta> pending;
  private transient ValueState<AwaitingLeads> awaiting;

  public AwaitingLeadsAggregator(LeadRules rules) {
    this.rules = rules;
  }

  @Override
  public void open(OpenContext openContext) {
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-deltas", FactSerializer.typeOf(AwaitingDelta.class),
        AwaitingLeadsAggregator::publishedAt, (a, b) -> 0);
    awaiting = getRuntimeContext().getState(
        new ValueStateDescriptor<>("awaiting", TypeInformation.of(AwaitingLeads.class)));
  }

  @Override
  public void processElement(AwaitingDelta delta, Context ctx, Collector<KpiSnapshot> out) throws Exception {
    pending.add(delta, ctx.timerService());
  }

  /** A change is published when the clock passes its second. */
  private static long publishedAt(AwaitingDelta delta) {
    return Math.floorDiv(delta.time(), 1000L) * 1000L + 999L;
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
    AwaitingLeads leads = awaiting.value();
    boolean newlyAwaiting = leads == null;
    for (AwaitingDelta delta : pending.take(time)) {
      if (leads == null) {
        leads = new AwaitingLeads(delta.team(), delta.leadSource());
      }
      leads.add(delta.createdAt(), delta.count());
    }
    if (leads == null) {
      return;
    }
    Map<String, String> dimension = Kpi.labels("team", leads.team, "lead_source", leads.leadSource);
    if (newlyAwaiting) {
      out.collect(Kpi.gauge(SLA, dimension, rules.slaMillis(leads.leadSource) / 1000.0, time));
    }
    out.collect(Kpi.gauge(AWAITING, dimension, (double) leads.total, time));
    out.collect(Kpi.gauge(OLDEST_WAIT, dimension, leads.total == 0 ? null : (time - leads.oldest()) / 1000.0, time));
    if (leads.total == 0) {
      awaiting.clear();
    } else {
      awaiting.update(leads);
    }
  }
}
