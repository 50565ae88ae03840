package io.pipelinepulse.facts;

/** An open deal left {@code stage}: to a later stage or to won ({@code advance}), or otherwise. */
public record StageExit(long time, String ownerId, String team, String pipeline, String stage, boolean advance)
    implements Fact {

  @Override
  public StageExit withTeam(String team) {
    return new StageExit(time, ownerId, team, pipeline, stage, advance);
  }
}
