package io.pipelinepulse.deals;

import io.pipelinepulse.facts.CloseDatePush;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.facts.SlaBreach;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;

/**
 * The series each kind of current state is published as (README, "What it publishes"): their values as primitives
 * first, then a snapshot only for a value that moved.
 */
public enum CurrentStateSeries {
  OPEN("pulse_open_deals", "pulse_open_pipeline_amount", "pulse_weighted_pipeline_amount") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series],
          Kpi.labels("pipeline", totals.pipeline, "stage", totals.detail, "team", totals.team), value, asOf);
    }
  },
  STALLED("pulse_stalled_deals", "pulse_stalled_pipeline_amount") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series],
          Kpi.labels("pipeline", totals.pipeline, "stage", totals.detail, "team", totals.team), value, asOf);
    }
  },
  PAST_DUE("pulse_deals_past_due") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series], Kpi.labels("pipeline", totals.pipeline, "team", totals.team), value,
          asOf);
    }
  },
  MISSING_FIELD("pulse_open_deals_missing_field") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.gaugeOrAbsent(metrics[series], Kpi.labels("pipeline", totals.pipeline, "field", totals.detail),
          value, asOf);
    }
  },
  LEAD_SLA_BREACHES("pulse_lead_response_sla_breaches_total") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.counter(metrics[series], Kpi.labels("team", totals.team, "lead_source", totals.detail), value,
          asOf);
    }
  },
  CLOSE_DATE_PUSHES("pulse_close_date_pushes_total") {
    @Override
    KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf) {
      return Kpi.counter(metrics[series], Kpi.labels("pipeline", totals.pipeline, "team", totals.team), value, asOf);
    }
  };

  /** The series of this kind, in the order of {@link #values}: count, then amounts where they apply. */
  final String[] metrics;

  CurrentStateSeries(String... metrics) {
    this.metrics = metrics;
  }

  int seriesCount() {
    return metrics.length;
  }

  /** The value of each series: the count, the amount, the weighted amount (the first {@link #seriesCount}). */
  void values(StateTotals totals, double[] values) {
    values[0] = totals.count;
    values[1] = totals.amount;
    values[2] = totals.weighted;
  }

  abstract KpiSnapshot snapshot(StateTotals totals, int series, double value, long asOf);

  /** Whether {@code fact} changes a current-state series. */
  public static boolean changes(Fact fact) {
    return fact instanceof OpenDealDelta || fact instanceof MissingFieldDelta || fact instanceof SlaBreach
        || fact instanceof CloseDatePush;
  }

  /** The change {@code fact} makes to its series' dimension, as totals; null for a fact that makes none. */
  static StateTotals changeOf(Fact fact) {
    if (fact instanceof OpenDealDelta delta) {
      StateTotals change = new StateTotals(switch (delta.state()) {
        case OPEN -> OPEN;
        case STALLED -> STALLED;
        case PAST_DUE -> PAST_DUE;
      }, delta.pipeline(), delta.stage(), delta.team());
      change.accumulate(delta.count(), delta.amount(), delta.weighted());
      return change;
    }
    if (fact instanceof MissingFieldDelta missing) {
      StateTotals change = new StateTotals(MISSING_FIELD, missing.pipeline(), missing.field(), null);
      change.accumulate(missing.count(), 0, 0);
      return change;
    }
    if (fact instanceof SlaBreach breach) {
      StateTotals change = new StateTotals(LEAD_SLA_BREACHES, "", breach.leadSource(), breach.team());
      change.accumulate(1, 0, 0);
      return change;
    }
    if (fact instanceof CloseDatePush push) {
      StateTotals change = new StateTotals(CLOSE_DATE_PUSHES, push.pipeline(), "", push.team());
      change.accumulate(1, 0, 0);
      return change;
    }
    return null;
  }

  /** The dimension key of a current-state fact, its series first. */
  public static String keyOf(Fact fact) {
    StateTotals change = changeOf(fact);
    return change.series.name() + '\u0000' + change.pipeline + '\u0000' + change.detail + '\u0000' + change.team;
  }
}
