package io.pipelinepulse.facts;

/**
 * The leads awaiting a first response, created at {@code createdAt}, changed by {@code count}.
 * Their creation time is kept apart so the oldest wait survives a move to another team.
 */
public record AwaitingDelta(long time, String ownerId, String team, String leadSource, long createdAt, long count)
    implements OwnerState {

  @Override
  public AwaitingDelta withTeam(String team) {
    return new AwaitingDelta(time, ownerId, team, leadSource, createdAt, count);
  }

  /** Key of the team and lead source whose awaiting leads this changes. */
  public String dimensionKey() {
    return team + '\u0000' + leadSource;
  }

  @Override
  public AwaitingDelta negatedAt(long time) {
    return new AwaitingDelta(time, ownerId, team, leadSource, createdAt, -count);
  }
}
