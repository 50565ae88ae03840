package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How lead statuses read, the response deadline (an SLA per lead source, counted in the business
 * hours of the lead's team where the team has them, else around the clock), and how long a lead is
 * kept: an unresolved one until {@code expireAfter} without a change, a resolved or expired one's
 * id for {@code resolvedRetention}.
 */
public record LeadRules(
    String untouchedStatus,
    List<String> convertedStatuses,
    List<String> disqualifiedStatuses,
    Duration responseSla,
    Map<String, Duration> responseSlaBySource,
    Map<String, BusinessHours> businessHoursByTeam,
    Duration expireAfter,
    Duration resolvedRetention)
    implements Serializable {

  public boolean isConverted(String status) {
    return status != null && convertedStatuses.contains(status);
  }

  public boolean isDisqualified(String status) {
    return status != null && disqualifiedStatuses.contains(status);
  }

  public long slaMillis(String leadSource) {
    Duration bySource = leadSource == null ? null : responseSlaBySource.get(leadSource);
    return (bySource == null ? responseSla : bySource).toMillis();
  }

  public boolean hasBusinessHours() {
    return !businessHoursByTeam.isEmpty();
  }

  /**
   * When a lead created at {@code createdAt} by an owner of {@code team} has breached its SLA: the
   * SLA counts only the team's business hours, if it has any.
   */
  public long responseDeadline(long createdAt, String leadSource, String team) {
    BusinessHours hours = team == null ? null : businessHoursByTeam.get(team);
    long sla = slaMillis(leadSource);
    return hours == null ? createdAt + sla : hours.deadline(createdAt, sla);
  }
}
