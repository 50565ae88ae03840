package io.pipelinepulse.facts;

/**
 * A change of current state that counts under its owner's team as it is now: when the owner moves
 * to another team, what the owner's records hold moves with them, taken back under the old team
 * and added under the new.
 */
public sealed interface OwnerState extends Fact permits OpenDealDelta, AwaitingDelta {

  @Override
  OwnerState withTeam(String team);

  /** The same change, taken back, at {@code time}. */
  OwnerState negatedAt(long time);
}
