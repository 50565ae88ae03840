package io.pipelinepulse.facts;

/**
 * A deal closed, won or lost: its amount in the reporting currency (NaN when it has none) and the
 * time from its creation to its close.
 */
public record DealClosed(long time, String ownerId, String team, String pipeline, boolean won, double amount,
    long cycleMillis) implements Fact {

  public boolean hasAmount() {
    return !Double.isNaN(amount);
  }

  @Override
  public DealClosed withTeam(String team) {
    return new DealClosed(time, ownerId, team, pipeline, won, amount, cycleMillis);
  }
}
