package io.pipelinepulse.directory;

/** Running open-pipeline totals: count, amount and weighted amount in the reporting currency. */
public class OpenTotals {

  public String pipeline;
  public String stage;
  public String team;
  public long count;
  public double amount;
  public double weighted;

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
      // Sums of doubles leave residue like 1e-12 when every deal has left: publish a clean zero.
      amount = 0;
      weighted = 0;
    }
  }
}
