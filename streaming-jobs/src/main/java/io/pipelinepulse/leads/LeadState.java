package io.pipelinepulse.leads;

/** What is known about one lead now: unresolved, or resolved and remembered for a while. */
public class LeadState {

  public String status;
  public String leadSource;
  public String ownerId;
  /** The lead's name and company, kept only with alerts.include-names. */
  public String name;
  public String company;
  public long createdAt;
  /** Touched: a person acted on it (activity, status change out of untouched, conversion). */
  public boolean touched;
  public boolean breached;
  /** The team whose business hours the SLA counts in (the owner's at creation); null for none. */
  public String slaTeam;
  /** When it was converted, disqualified or expired; 0 while unresolved. */
  public long resolvedAt;
  /** Its last change, or the last change of an activity linked to it: it expires a while after. */
  public long lastChangeAt;
  /** When its expiry timer fires (the expiry is checked then, and the timer set again if it moved). */
  public long expiryCheckAt;

  public LeadState() {}

  public LeadState copy() {
    LeadState copy = new LeadState();
    copy.status = status;
    copy.leadSource = leadSource;
    copy.ownerId = ownerId;
    copy.name = name;
    copy.company = company;
    copy.createdAt = createdAt;
    copy.touched = touched;
    copy.breached = breached;
    copy.slaTeam = slaTeam;
    copy.resolvedAt = resolvedAt;
    copy.lastChangeAt = lastChangeAt;
    copy.expiryCheckAt = expiryCheckAt;
    return copy;
  }
}
