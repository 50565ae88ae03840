package io.pipelinepulse.leads;

import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.funnel.RollingWindow;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.WindowTotals;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Per (team, lead source) over the rolling windows: leads first touched and their response time
 * (p50, p90), leads resolved by outcome and the lead conversion ratio.
 */
public final class LeadResponseKpi implements RollingKpi {

  private static final int RESPONDED = 0;
  private static final int CONVERTED = 1;
  private static final int DISQUALIFIED = 2;

  /** The measurement of a touch or a resolution; null for other facts. */
  public static Measurement measure(DealFact fact) {
    Measurement m = new Measurement(fact.time, "team", fact.team, "lead_source", fact.stage);
    if (fact.kind == DealFact.Kind.LEAD_TOUCHED) {
      return m.counts(1, 0, 0).sample(fact.cycleMillis / 1000.0);
    }
    if (fact.kind == DealFact.Kind.LEAD_RESOLVED) {
      return fact.won ? m.counts(0, 1, 0) : m.counts(0, 0, 1);
    }
    return null;
  }

  @Override
  public int counters() {
    return 3;
  }

  @Override
  public int sums() {
    return 0;
  }

  @Override
  public void publish(String[] dimension, RollingWindow window, WindowTotals totals, long asOf,
      Collector<KpiSnapshot> out) {
    String team = dimension[1];
    String source = dimension[3];
    String w = window.label();
    Map<String, String> labels = Kpi.labels("team", team, "lead_source", source, "window", w);
    out.collect(Kpi.gauge("pulse_leads_responded", labels, (double) totals.counts[RESPONDED], asOf));
    for (String quantile : new String[] {"0.5", "0.9"}) {
      out.collect(Kpi.gauge("pulse_lead_first_response_seconds",
          Kpi.labels("team", team, "lead_source", source, "window", w, "quantile", quantile),
          totals.histogram.quantile(Double.parseDouble(quantile)), asOf));
    }
    long converted = totals.counts[CONVERTED];
    long disqualified = totals.counts[DISQUALIFIED];
    out.collect(Kpi.gauge("pulse_leads_resolved",
        Kpi.labels("team", team, "lead_source", source, "window", w, "outcome", "converted"), (double) converted, asOf));
    out.collect(Kpi.gauge("pulse_leads_resolved",
        Kpi.labels("team", team, "lead_source", source, "window", w, "outcome", "disqualified"),
        (double) disqualified, asOf));
    out.collect(Kpi.gauge("pulse_lead_conversion_ratio", labels,
        converted + disqualified == 0 ? null : (double) converted / (converted + disqualified), asOf));
  }
}
