package io.pipelinepulse.facts;

/**
 * The open deals of a pipeline lacking {@code field} (amount, close date, owner) changed by
 * {@code count}. Counted per pipeline only: no owner, no team.
 */
public record MissingFieldDelta(long time, String pipeline, String field, long count) implements Fact {

  @Override
  public String ownerId() {
    return null;
  }

  @Override
  public String team() {
    return null;
  }

  /** The series has no team: the fact stays as it is. */
  @Override
  public MissingFieldDelta withTeam(String team) {
    return this;
  }

  public MissingFieldDelta negated() {
    return new MissingFieldDelta(time, pipeline, field, -count);
  }
}
