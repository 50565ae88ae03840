package io.pipelinepulse.deals;

import io.pipelinepulse.directory.OpenTotals;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.Map;
import org.apache.flink.util.Collector;

/** The series each kind of deal current state is published as (SPEC §4). */
public enum CurrentStateSeries {
  OPEN(DealFact.Kind.OPEN_DELTA) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      Map<String, String> labels = Kpi.labels("pipeline", totals.pipeline, "stage", totals.stage, "team", totals.team);
      out.collect(Kpi.gauge("pulse_open_deals", labels, (double) totals.count, asOf));
      out.collect(Kpi.gauge("pulse_open_pipeline_amount", labels, totals.amount, asOf));
      out.collect(Kpi.gauge("pulse_weighted_pipeline_amount", labels, totals.weighted, asOf));
    }
  },
  STALLED(DealFact.Kind.STALLED_DELTA) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      Map<String, String> labels = Kpi.labels("pipeline", totals.pipeline, "stage", totals.stage, "team", totals.team);
      out.collect(Kpi.gauge("pulse_stalled_deals", labels, (double) totals.count, asOf));
      out.collect(Kpi.gauge("pulse_stalled_pipeline_amount", labels, totals.amount, asOf));
    }
  },
  PAST_DUE(DealFact.Kind.PAST_DUE_DELTA) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      out.collect(Kpi.gauge("pulse_deals_past_due", Kpi.labels("pipeline", totals.pipeline, "team", totals.team),
          (double) totals.count, asOf));
    }
  },
  MISSING_FIELD(DealFact.Kind.MISSING_DELTA) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      out.collect(Kpi.gauge("pulse_open_deals_missing_field",
          Kpi.labels("pipeline", totals.pipeline, "field", totals.stage), (double) totals.count, asOf));
    }
  },
  LEAD_SLA_BREACHES(DealFact.Kind.LEAD_BREACH) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      out.collect(Kpi.counter("pulse_lead_response_sla_breaches_total",
          Kpi.labels("team", totals.team, "lead_source", totals.stage), totals.count, asOf));
    }
  },
  CLOSE_DATE_PUSHES(DealFact.Kind.CLOSE_DATE_PUSH) {
    @Override
    void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out) {
      out.collect(Kpi.counter("pulse_close_date_pushes_total",
          Kpi.labels("pipeline", totals.pipeline, "team", totals.team), totals.count, asOf));
    }
  };

  private final DealFact.Kind kind;

  CurrentStateSeries(DealFact.Kind kind) {
    this.kind = kind;
  }

  public DealFact.Kind kind() {
    return kind;
  }

  abstract void publish(OpenTotals totals, long asOf, Collector<KpiSnapshot> out);

  /** The dimension key within this kind: the team does not apply to missing fields. */
  public String keyOf(DealFact fact) {
    return this == MISSING_FIELD ? fact.pipeline + '\u0000' + fact.stage : fact.dimensionKey();
  }
}
