package io.pipelinepulse.facts;

/**
 * A change of current state that counts under its owner's team as it is now: when the owner moves
 * to another team, what the owner holds moves with them. Changes of the same {@link #totalsKey}
 * add up to what the owner holds of that state.
 */
public sealed interface OwnerState extends Fact permits OpenDealDelta, AwaitingDelta {

  @Override
  OwnerState withTeam(String team);

  /** Which of the owner's totals this change adds to (its team aside). */
  String totalsKey();

  /** This change and {@code other}, of the same totals, as one. */
  OwnerState plus(OwnerState other);

  /** The same change, taken back, at {@code time}. */
  OwnerState negatedAt(long time);

  /** The same change at {@code time}. */
  OwnerState at(long time);

  /** Whether these totals hold nothing any more. */
  boolean isEmpty();
}
