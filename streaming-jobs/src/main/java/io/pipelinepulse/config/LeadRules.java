package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** How lead statuses read, and the response deadline per lead source. */
public record LeadRules(
    String untouchedStatus,
    List<String> convertedStatuses,
    List<String> disqualifiedStatuses,
    Duration responseSla,
    Map<String, Duration> responseSlaBySource)
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
}
