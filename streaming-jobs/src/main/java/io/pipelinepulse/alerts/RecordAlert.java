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
  /** The reason of a resolution because the record's owner or the owner's team changed. */
  public static final String REASSIGNED = "reassigned";

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
    labels.put(key, label(value));
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

  /** Whether an open alert carries this team and owner. */
  public static boolean isFor(AlertEvent open, String team, String ownerId) {
    return label(team).equals(open.getLabels().get("team")) && label(ownerId).equals(open.getLabels().get("owner_id"));
  }

  /** The alert fired again, from {@code time}, under the record's team and owner now. */
  public static AlertEvent reassigned(AlertEvent open, String team, String ownerId, long time) {
    Map<String, String> labels = new LinkedHashMap<>(open.getLabels());
    labels.put("team", label(team));
    labels.put("owner_id", label(ownerId));
    return AlertEvent.newBuilder(open).setLabels(labels).setStartsAt(time).setEndsAt(null).setReason(null).build();
  }

  private static String label(String value) {
    return value == null ? "" : value;
  }

  /** Identity of an alert: its name and labels, as Alertmanager tells alerts apart. */
  public static String identity(AlertEvent event) {
    return event.getAlertName() + new java.util.TreeMap<>(event.getLabels());
  }
}
