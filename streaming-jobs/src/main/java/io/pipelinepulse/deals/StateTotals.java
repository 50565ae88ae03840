package io.pipelinepulse.deals;

import io.pipelinepulse.facts.OpenDealDelta;

/**
 * Running totals of one current-state series' dimension: count, amount and weighted amount in the
 * reporting currency. {@code detail} is the dimension's label beside pipeline and team, as the
 * series names it: the stage, the missing field or the lead source.
 */
public class StateTotals {

  public CurrentStateSeries series;
  public String pipeline;
  public String detail;
  public String team;
  public long count;
  public double amount;
  public double weighted;

  public StateTotals() {}

  StateTotals(CurrentStateSeries series, String pipeline, String detail, String team) {
    this.series = series;
    this.pipeline = pipeline;
    this.detail = detail;
    this.team = team;
  }

  /** Adds a change as it comes, for totals that are changes themselves (waiting for their second). */
  void accumulate(long countDelta, double amountDelta, double weightedDelta) {
    count += countDelta;
    amount += amountDelta;
    weighted += weightedDelta;
  }

  /** Adds a change to running totals, which hold no amount without deals and no noise. */
  void add(long countDelta, double amountDelta, double weightedDelta) {
    accumulate(countDelta, amountDelta, weightedDelta);
    if (count == 0) {
      amount = 0;
      weighted = 0;
    }
    amount = OpenDealDelta.withoutNoise(amount);
    weighted = OpenDealDelta.withoutNoise(weighted);
  }
}
