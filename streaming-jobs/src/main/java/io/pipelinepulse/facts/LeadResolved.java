package io.pipelinepulse.facts;

/** A lead was converted or disqualified, or expired unresolved. */
public record LeadResolved(long time, String ownerId, String team, String leadSource, Outcome outcome)
    implements Fact {

  /** How a lead's life ended; the label value of {@code pulse_leads_resolved{outcome}}. */
  public enum Outcome {
    CONVERTED, DISQUALIFIED, EXPIRED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public LeadResolved withTeam(String team) {
    return new LeadResolved(time, ownerId, team, leadSource, outcome);
  }
}
