package io.pipelinepulse.leads;

import io.pipelinepulse.facts.LeadResolved;
import io.pipelinepulse.facts.LeadTouched;
import io.pipelinepulse.window.RollingWindow;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.WindowTotals;

/**
 * Per (team, lead source) over the rolling windows: leads first touched and their response time
 * (p50, p90), leads resolved by outcome and the lead conversion ratio, which leaves expired leads
 * out.
 */
public final class LeadResponseKpi implements RollingKpi {

  private static final int RESPONDED = 0;
  private static final int CONVERTED = 1;
  private static final int DISQUALIFIED = 2;
  private static final int EXPIRED = 3;

  /** The measurement of a first touch: the response time. */
  public static Measurement measure(LeadTouched touched) {
    return new Measurement(touched.time(), "team", touched.team(), "lead_source", touched.leadSource())
        .counts(1, 0, 0, 0).sample(touched.responseMillis() / 1000.0);
  }

  /** The measurement of a resolution: converted, disqualified or expired. */
  public static Measurement measure(LeadResolved resolved) {
    Measurement m = new Measurement(resolved.time(), "team", resolved.team(), "lead_source", resolved.leadSource());
    return switch (resolved.outcome()) {
      case CONVERTED -> m.counts(0, 1, 0, 0);
      case DISQUALIFIED -> m.counts(0, 0, 1, 0);
      case EXPIRED -> m.counts(0, 0, 0, 1);
    };
  }

  @Override
  public int counters() {
    return 4;
  }

  @Override
  public int sums() {
    return 0;
  }

  @Override
  public int seriesCount() {
    return 7;
  }

  /** Series: responded, response p50, p90, resolved converted, disqualified, expired, conversion ratio. */
  @Override
  public void values(WindowTotals totals, double[] values) {
    long converted = totals.counts[CONVERTED];
    long disqualified = totals.counts[DISQUALIFIED];
    values[0] = totals.counts[RESPONDED];
    values[1] = totals.histogram.quantileOrAbsent(0.5);
    values[2] = totals.histogram.quantileOrAbsent(0.9);
    values[3] = converted;
    values[4] = disqualified;
    values[5] = totals.counts[EXPIRED];
    values[6] = converted + disqualified == 0 ? Double.NaN : (double) converted / (converted + disqualified);
  }

  @Override
  public KpiSnapshot snapshot(String[] dimension, RollingWindow window, int series, double value, long asOf) {
    String team = dimension[1];
    String source = dimension[3];
    String w = window.label();
    return switch (series) {
      case 0 -> Kpi.gaugeOrAbsent("pulse_leads_responded",
          Kpi.labels("team", team, "lead_source", source, "window", w), value, asOf);
      case 1, 2 -> Kpi.gaugeOrAbsent("pulse_lead_first_response_seconds", Kpi.labels("team", team,
          "lead_source", source, "window", w, "quantile", series == 1 ? "0.5" : "0.9"), value, asOf);
      case 3, 4, 5 -> Kpi.gaugeOrAbsent("pulse_leads_resolved", Kpi.labels("team", team, "lead_source", source,
          "window", w, "outcome", LeadResolved.Outcome.values()[series - 3].label()), value, asOf);
      case 6 -> Kpi.gaugeOrAbsent("pulse_lead_conversion_ratio",
          Kpi.labels("team", team, "lead_source", source, "window", w), value, asOf);
      default -> throw new IllegalArgumentException("no series " + series);
    };
  }
}
