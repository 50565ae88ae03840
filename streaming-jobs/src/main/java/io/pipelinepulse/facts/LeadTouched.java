package io.pipelinepulse.facts;

/** A lead got its first response, {@code responseMillis} after it was created. */
public record LeadTouched(long time, String ownerId, String team, String leadSource, long responseMillis)
    implements Fact {

  @Override
  public LeadTouched withTeam(String team) {
    return new LeadTouched(time, ownerId, team, leadSource, responseMillis);
  }
}
