package io.pipelinepulse.facts;

/** A lead passed its response deadline without a response. */
public record SlaBreach(long time, String ownerId, String team, String leadSource) implements Fact {

  @Override
  public SlaBreach withTeam(String team) {
    return new SlaBreach(time, ownerId, team, leadSource);
  }
}
