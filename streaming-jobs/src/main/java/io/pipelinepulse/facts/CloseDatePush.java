package io.pipelinepulse.facts;

/** An open deal's close date moved later. */
public record CloseDatePush(long time, String ownerId, String team, String pipeline) implements Fact {

  @Override
  public CloseDatePush withTeam(String team) {
    return new CloseDatePush(time, ownerId, team, pipeline);
  }
}
