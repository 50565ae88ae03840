package io.pipelinepulse.localstack.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Writes the Alertmanager configuration of Pipeline Pulse for a set of teams: per-record alerts go
 * by {@code team} to that team's manager, aggregate pipeline alerts to sales ops, operational
 * alerts to on-call, and per-record alerts are inhibited while the job is down (they lapse and come
 * back then, which is no news to a manager).
 */
public final class AlertmanagerConfigGenerator {

  /** Alerts about the job itself, from alerting/prometheus/pulse-rules.yml. */
  static final List<String> OPERATIONAL_ALERTS = List.of("PulseJobDown", "PulseCheckpointsFailing",
      "PulseInputLagGrowing", "PulseClockStalled", "PulseDeadLettersRising", "PulseRecordsFailing", "PulseJobRestarting",
      "PulseGapEventsAwaitingReconciliation");
  /** Alerts the job posts per deal or lead. */
  static final List<String> RECORD_ALERTS =
      List.of("DealStalled", "DealPastDue", "DealCloseDateSlipped", "LeadResponseSlaBreached");

  /** A message's title: what, for which team, how many. */
  static final String MESSAGE_TITLE = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}"
      + "{{ if .CommonLabels.team }}, team {{ .CommonLabels.team }}{{ end }} ({{ len .Alerts }})";
  /** A message's body: per alert, what is true of the record now and where to act. */
  static final String MESSAGE_TEXT = "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n"
      + "{{ if .Annotations.record_url }}Open: {{ .Annotations.record_url }}\n{{ end }}"
      + "Runbook: {{ .Annotations.runbook_url }}\n\n{{ end }}";

  private static final String HEADER = """
      # Alertmanager configuration of Pipeline Pulse, written by local-stack/alertmanager-config
      # (see alerting/README.md). Generate it again when teams or contacts change.
      #
      # Per-record alerts (DealStalled, DealPastDue, DealCloseDateSlipped, LeadResponseSlaBreached)
      # carry the owner's team in `team` and go to that team's manager, grouped by alert name and
      # team: a manager gets one message listing the team's stalled deals, not one per deal.
      # Aggregate pipeline alerts go to sales ops, operational ones to on-call. A team without a
      # route (e.g. `unknown`, an owner missing from the directory) goes to sales ops.
      # While PulseJobDown fires, per-record alerts are inhibited: they lapse and come back.
      # A receiver without integrations only shows its alerts in Alertmanager's UI.
      # Check the file with: amtool check-config FILE
      """;

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  /** The receiver of a team's manager: {@code manager-} and the team's name in lower case. */
  public static String receiverOf(String team) {
    String slug = team.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return "manager-" + (slug.isEmpty() ? "team" : slug);
  }

  public String generate(Collection<String> teams, ManagerContacts contacts) {
    SortedSet<String> sorted = new TreeSet<>(teams);
    checkReceiverNamesDistinct(sorted);
    ObjectNode root = yaml.createObjectNode();
    if (contacts.global() != null) {
      root.set("global", contacts.global());
    }
    ObjectNode route = root.putObject("route");
    route.put("receiver", "sales-ops");
    route.putArray("group_by").add("alertname").add("team");
    route.put("group_wait", "30s");
    route.put("group_interval", "5m");
    route.put("repeat_interval", "4h");
    ArrayNode routes = route.putArray("routes");
    ObjectNode onCall = routes.addObject();
    onCall.putArray("matchers").add("alertname=~\"" + String.join("|", OPERATIONAL_ALERTS) + "\"");
    onCall.put("receiver", "on-call");
    onCall.putArray("group_by").add("alertname");
    onCall.put("group_wait", "10s");
    onCall.put("repeat_interval", "1h");
    ObjectNode salesOps = routes.addObject();
    salesOps.putArray("matchers").add("alertname=~\"Pulse.+\"");
    salesOps.put("receiver", "sales-ops");
    for (String team : sorted) {
      ObjectNode teamRoute = routes.addObject();
      teamRoute.putArray("matchers").add("team=\"" + team.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      teamRoute.put("receiver", receiverOf(team));
    }
    ObjectNode inhibit = root.putArray("inhibit_rules").addObject();
    inhibit.putArray("source_matchers").add("alertname=\"PulseJobDown\"");
    inhibit.putArray("target_matchers").add("alertname=~\"" + String.join("|", RECORD_ALERTS) + "\"");
    ArrayNode receivers = root.putArray("receivers");
    receivers.add(receiver("on-call", contacts.onCall()));
    receivers.add(receiver("sales-ops", contacts.salesOps()));
    for (String team : sorted) {
      receivers.add(receiver(receiverOf(team), contacts.team(team).orElse(null)));
    }
    try {
      return HEADER + yaml.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode receiver(String name, ObjectNode integrations) {
    ObjectNode receiver = yaml.createObjectNode();
    receiver.put("name", name);
    if (integrations != null) {
      receiver.setAll(integrations);
      withMessageTexts(receiver);
    }
    return receiver;
  }

  /**
   * Chat and e-mail messages that a manager can act on without opening Alertmanager: each alert's
   * summary, description, record link and runbook. Texts the contacts file sets are kept.
   */
  private static void withMessageTexts(ObjectNode receiver) {
    for (JsonNode slack : receiver.path("slack_configs")) {
      if (slack instanceof ObjectNode config) {
        putIfAbsent(config, "title", MESSAGE_TITLE);
        putIfAbsent(config, "text", MESSAGE_TEXT);
      }
    }
    for (JsonNode email : receiver.path("email_configs")) {
      if (email instanceof ObjectNode config) {
        JsonNode headers = config.path("headers");
        ObjectNode settable = headers instanceof ObjectNode given ? given : config.putObject("headers");
        putIfAbsent(settable, "Subject", MESSAGE_TITLE);
        putIfAbsent(config, "text", MESSAGE_TEXT);
      }
    }
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (!node.has(field)) {
      node.put(field, value);
    }
  }

  private static void checkReceiverNamesDistinct(SortedSet<String> teams) {
    SortedSet<String> names = new TreeSet<>();
    for (String team : teams) {
      if (!names.add(receiverOf(team))) {
        throw new IllegalArgumentException("teams '" + team + "' and another team both make the receiver name "
            + receiverOf(team) + "; rename one of them");
      }
    }
  }
}
