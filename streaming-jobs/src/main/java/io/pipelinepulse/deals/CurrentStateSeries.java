package io.pipelinepulse.deals;

import io.pipelinepulse.directory.OpenTotals;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;

/**
 * The series each kind of deal current state is published as (SPEC §4): their values as
 * primitives first, then a snapshot only for a value that moved.
 */
public enum CurrentStateSeries {
  OPEN(DealFact.Kind.OPEN_DELTA, "pulse_open_deals", "pulse_open_pipeline_amount", "pulse_weighted_pipeline_amount") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series],
          Kpi.labels("pipeline", totals.pipeline, "stage", totals.stage, "team", totals.team), value, asOf);
    }
  },
  STALLED(DealFact.Kind.STALLED_DELTA, "pulse_stalled_deals", "pulse_stalled_pipeline_amount") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series],
          Kpi.labels("pipeline", totals.pipeline, "stage", totals.stage, "team", totals.team), value, asOf);
    }
  },
  PAST_DUE(DealFact.Kind.PAST_DUE_DELTA, "pulse_deals_past_due") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series], Kpi.labels("pipeline", totals.pipeline, "team", totals.team), value,
          asOf);
    }
  },
  MISSING_FIELD(DealFact.Kind.MISSING_DELTA, "pulse_open_deals_missing_field") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series], Kpi.labels("pipeline", totals.pipeline, "field", totals.stage), value,
          asOf);
    }
  },
  LEAD_SLA_BREACHES(DealFact.Kind.LEAD_BREACH, "pulse_lead_response_sla_breaches_total") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.counter(metrics[series], Kpi.labels("team", totals.team, "lead_source", totals.stage), value, asOf);
    }
  },
  CLOSE_DATE_PUSHES(DealFact.Kind.CLOSE_DATE_PUSH, "pulse_close_date_pushes_total") {
    @Override
    KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf) {
      return Kpi.counter(metrics[series], Kpi.labels("pipeline", totals.pipeline, "team", totals.team), value, asOf);
    }
  };

  private final DealFact.Kind kind;
  /** The series of this kind, in the order of {@link #values}: count, then amounts where they apply. */
  final String[] metrics;

  CurrentStateSeries(DealFact.Kind kind, String... metrics) {
    this.kind = kind;
    this.metrics = metrics;
  }

  public DealFact.Kind kind() {
    return kind;
  }

  int seriesCount() {
    return metrics.length;
  }

  /** The value of each series: the count, the amount, the weighted amount (the first {@link #seriesCount}). */
  void values(OpenTotals totals, double[] values) {
    values[0] = totals.count;
    values[1] = totals.amount;
    values[2] = totals.weighted;
  }

  abstract KpiSnapshot snapshot(OpenTotals totals, int series, double value, long asOf);

  /** The series a current-state fact changes, or null for a fact of a moment. */
  public static CurrentStateSeries of(DealFact.Kind kind) {
    for (CurrentStateSeries series : values()) {
      if (series.kind == kind) {
        return series;
      }
    }
    return null;
  }

  /** The dimension key of a current-state fact, its kind first: the team does not apply to missing fields. */
  public static String keyOf(DealFact fact) {
    return fact.kind == DealFact.Kind.MISSING_DELTA
        ? fact.kind.name() + '\u0000' + fact.pipeline + '\u0000' + fact.stage : fact.dimensionKey();
  }
}
