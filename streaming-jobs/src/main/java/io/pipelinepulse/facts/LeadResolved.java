package io.pipelinepulse.facts;

/** A lead was converted or disqualified. */
public record LeadResolved(long time, String ownerId, String team, String leadSource, boolean converted)
    implements Fact {

  @Override
  public LeadResolved withTeam(String team) {
    return new LeadResolved(time, ownerId, team, leadSource, converted);
  }
}
