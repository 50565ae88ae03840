package io.pipelinepulse.directory;

import io.pipelinepulse.deals.DealFact;

/** Running current-state totals: count, amount and weighted amount in the reporting currency. */
public class OpenTotals {

  /** Which current state these totals are of (open, stalled, past due ...). */
  public DealFact.Kind kind = DealFact.Kind.OPEN_DELTA;
  public String pipeline;
  public String stage;
  public String team;
  public long count;
  public double amount;
  public double weighted;
  /** Awaiting leads: their creation time, kept apart so the oldest wait survives a team move. */
  public long createdAt;

  public OpenTotals() {}

  public OpenTotals(String pipeline, String stage, String team) {
    this.pipeline = pipeline;
    this.stage = stage;
    this.team = team;
  }

  public void add(long countDelta, double amountDelta, double weightedDelta) {
    count += countDelta;
    amount += amountDelta;
    weighted += weightedDelta;
    if (count == 0) {
      amount = 0;
      weighted = 0;
    }
    // Adding and taking away doubles leaves residue like -1e-11 where the deals left amount to
    // nothing: below a millionth of a currency unit it is noise, published as a clean zero.
    if (Math.abs(amount) < NOISE) {
      amount = 0;
    }
    if (Math.abs(weighted) < NOISE) {
      weighted = 0;
    }
  }

  private static final double NOISE = 1e-6;
}
