package io.pipelinepulse.alerts;

import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the events of one per-record alert (README, "Per-record alerts"): labels that route it (never a name or an
 * e-mail; the record and owner ids are labels here because Alertmanager tells alerts apart by
 * them), the annotations a manager reads, and its runbook and record links.
 */
public final class RecordAlert {

  public static final String SEVERITY = "warning";

  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();

  private RecordAlert(String name) {
    this.name = name;
    labels.put("alertname", name);
    labels.put("severity", SEVERITY);
  }

  public static RecordAlert named(String name) {
    return new RecordAlert(name);
  }

  public RecordAlert label(String key, String value) {
    labels.put(key, value == null ? "" : value);
    return this;
  }

  public RecordAlert summary(String summary) {
    annotations.put("summary", summary);
    return this;
  }

  public RecordAlert description(String description) {
    annotations.put("description", description);
    return this;
  }

  /** The opening event, with the runbook and the record's page in the CRM. */
  public AlertEvent firing(AlertSettings settings, String recordId, long startsAt) {
    Map<String, String> links = new LinkedHashMap<>(annotations);
    links.put("runbook_url", settings.runbookUrl(name));
    links.put("record_url", settings.recordUrl(recordId));
    return AlertEvent.newBuilder()
        .setAlertName(name)
        .setStatus(AlertStatus.FIRING)
        .setLabels(new LinkedHashMap<>(labels))
        .setAnnotations(links)
        .setStartsAt(startsAt)
        .setEndsAt(null)
        .build();
  }

  /** The resolution of an open alert: the same labels, so Alertmanager resolves that alert. */
  public static AlertEvent resolved(AlertEvent open, long endsAt, String reason) {
    return AlertEvent.newBuilder(open).setStatus(AlertStatus.RESOLVED).setEndsAt(endsAt).setReason(reason).build();
  }

  /** Identity of an alert: its name and labels, as Alertmanager tells alerts apart. */
  public static String identity(AlertEvent event) {
    return event.getAlertName() + new java.util.TreeMap<>(event.getLabels());
  }
}
