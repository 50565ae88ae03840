package io.pipelinepulse.facts;

/**
 * The open deals of one state (open, stalled, past due) changed: their count, amount and weighted
 * amount in the reporting currency. {@code stage} is the deals' stage, empty for past due, whose
 * series have no stage.
 */
public record OpenDealDelta(State state, long time, String ownerId, String team, String pipeline, String stage,
    long count, double amount, double weighted) implements OwnerState {

  /** The current states of open deals counted per owner. */
  public enum State { OPEN, STALLED, PAST_DUE }

  /** Below a millionth of a currency unit, a sum is the residue of adding and taking away doubles. */
  private static final double NOISE = 1e-6;

  @Override
  public OpenDealDelta withTeam(String team) {
    return new OpenDealDelta(state, time, ownerId, team, pipeline, stage, count, amount, weighted);
  }

  /** Same state, dimension, owner and amounts: the same contribution, whatever its time. */
  public boolean sameContribution(OpenDealDelta other) {
    return state == other.state && pipeline.equals(other.pipeline) && stage.equals(other.stage)
        && java.util.Objects.equals(ownerId, other.ownerId) && count == other.count && amount == other.amount
        && weighted == other.weighted;
  }

  @Override
  public OpenDealDelta negatedAt(long time) {
    return new OpenDealDelta(state, time, ownerId, team, pipeline, stage, -count, -amount, -weighted);
  }

  /**
   * {@code sum} published as a clean zero where deals that left amount to nothing leave residue
   * like -1e-11 behind.
   */
  public static double withoutNoise(double sum) {
    return Math.abs(sum) < NOISE ? 0 : sum;
  }
}
