package io.pipelinepulse.alerts;

import static io.pipelinepulse.testing.Changes.opportunity;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.AlertmanagerServer;
import io.pipelinepulse.testing.Await;
import io.pipelinepulse.testing.Changes;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.PulseJobRunner;
import io.pipelinepulse.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open alerts are current state, end to end on a real broker, the MiniCluster and a real
 * Alertmanager: a rep holding a stalled, a past-due and a slipping deal and two leads past their
 * SLA moves team, and what Alertmanager holds moves with them; a deal reassigned to a rep of
 * another team takes its alerts along; alerts open for weeks say what is true now; a replay from
 * the start writes the same alert history.
 */
class OpenAlertsStayCurrentTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SECOND = 1000L;
  private static final long DAY = 86_400_000L;

  @TempDir
  Path dir;

  @Test
  void aTeamMoveAndAReassignmentMoveTheOpenAlertsInAlertmanagerAndAReplayAgrees() throws Exception {
    try (KafkaTestBroker broker = KafkaTestBroker.start();
        WebhookReceiver webhook = new WebhookReceiver();
        AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"), String.join("\n",
            "route:",
            "  receiver: managers",
            "  group_by: [alertname, team]",
            "  group_wait: 1s",
            "  group_interval: 1s",
            "  repeat_interval: 1h",
            "receivers:",
            "  - name: managers",
            "    webhook_configs: [{url: '" + webhook.url("/managers") + "', send_resolved: true}]",
            ""))) {
      for (String topic : List.of("crm.changes", "pulse.kpi", "pulse.dead-letter", "pulse.alerts", "replay.kpi",
          "replay.alerts")) {
        broker.createTopic(topic, topic.equals("crm.changes") ? 2 : 1);
      }
      long start = System.currentTimeMillis() - 40 * SECOND;
      String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
      broker.sendChanges(List.of(
          opportunity("STALLED", ChangeType.CREATE, start, "stage", "Prospecting", "amount", 1000.0,
              "closeDate", "2099-01-01", "ownerId", "u1"),
          opportunity("PASTDUE", ChangeType.CREATE, start, "stage", "Prospecting", "amount", 2000.0,
              "closeDate", yesterday, "ownerId", "u1"),
          opportunity("SLIPPED", ChangeType.CREATE, start, "stage", "Prospecting", "amount", 3000.0,
              "closeDate", "2099-01-01", "ownerId", "u1"),
          opportunity("SLIPPED", ChangeType.UPDATE, start + SECOND, "closeDate", "2099-02-01"),
          opportunity("SLIPPED", ChangeType.UPDATE, start + 2 * SECOND, "closeDate", "2099-03-01"),
          lead("L1", start), lead("L2", start),
          // open for weeks: stalled 20 days ago, its amount changed 3 days ago; a lead untouched for 21 days
          opportunity("OLD", ChangeType.CREATE, start - 20 * DAY, "stage", "Prospecting", "amount", 500.0,
              "closeDate", "2099-01-01", "ownerId", "u4"),
          opportunity("OLD", ChangeType.UPDATE, start - 3 * DAY, "amount", 750.0),
          Changes.change(Entity.LEAD, "L-OLD", ChangeType.CREATE, start - 21 * DAY, "status", "Open - Not Contacted",
              "leadSource", "Web", "ownerId", "u4")));

      String common = String.join("\n",
          "clock:",
          "  out-of-orderness: 2s",
          "  idle-timeout: 1s",
          "  backlog-idle-timeout: 2s",
          "deals:",
          "  stalled-after: 8s",
          "leads:",
          "  response-sla: 6s",
          "directory:",
          "  users:",
          "    - {id: u1, team: East}",
          "    - {id: u3, team: Central}",
          "    - {id: u4, team: North}",
          "");
      PulseConfig config = PulseJobRunner.testConfig(broker, PulseJobRunner.freePort(), common,
          "alerts:\n  alertmanager-url: " + alertmanager.url() + "\n  repeat-interval: 2s\n  live-within: 1m\n");
      Set<String> all = Set.of("DealStalled STALLED", "DealStalled PASTDUE", "DealStalled SLIPPED",
          "DealPastDue PASTDUE", "DealCloseDateSlipped SLIPPED", "LeadResponseSlaBreached L1",
          "LeadResponseSlaBreached L2");
      JobClient job = PulseJobRunner.start(config);
      try {
        Await.until(Duration.ofSeconds(60), () -> active(alertmanager, "East", "u1").equals(all));
        Await.until(Duration.ofSeconds(20), () -> active(alertmanager, "North", "u4").size() == 2);
        JsonNode old = held(alertmanager, "deal_id", "OLD");
        assertThat(old.get("annotations").get("description").asText()).as("what is true of the deal now")
            .contains("Idle since " + AlertTexts.moment(start - 20 * DAY)).contains("750.00 USD")
            .doesNotContain("500.00");
        assertThat(Instant.parse(old.get("startsAt").asText()).toEpochMilli()).as("open since it stalled")
            .isEqualTo(start - 20 * DAY + 8 * SECOND + 1);
        JsonNode oldLead = held(alertmanager, "lead_id", "L-OLD");
        assertThat(oldLead.get("annotations").get("summary").asText())
            .isEqualTo("Lead L-OLD has had no response since " + AlertTexts.moment(start - 21 * DAY));

        long moved = System.currentTimeMillis();
        broker.sendChanges(List.of(Changes.user("u1", ChangeType.UPDATE, moved, "team", "West")));
        Await.until(Duration.ofSeconds(20), () -> active(alertmanager, "West", "u1").equals(all));
        assertThat(active(alertmanager, "East", "u1")).as("nothing left under the team u1 left").isEmpty();
        List<AlertEvent> events = alertEvents(broker, "pulse.alerts");
        assertThat(events).filteredOn(e -> e.getStatus() == AlertStatus.RESOLVED)
            .filteredOn(e -> "reassigned".equals(e.getReason()))
            .allSatisfy(e -> {
              assertThat(e.getLabels()).containsEntry("team", "East");
              assertThat(e.getEndsAt()).isEqualTo(moved);
            })
            .extracting(OpenAlertsStayCurrentTest::alertAndRecord).containsExactlyInAnyOrderElementsOf(all);

        broker.sendChanges(List.of(opportunity("STALLED", ChangeType.UPDATE, System.currentTimeMillis(),
            "ownerId", "u3")));
        Await.until(Duration.ofSeconds(20),
            () -> active(alertmanager, "Central", "u3").equals(Set.of("DealStalled STALLED")));
        assertThat(active(alertmanager, "West", "u1")).doesNotContain("DealStalled STALLED").hasSize(all.size() - 1);
      } finally {
        job.cancel().get();
      }

      List<AlertEvent> live = alertEvents(broker, "pulse.alerts");
      PulseConfig replay = PulseJobRunner.testConfig(broker, PulseJobRunner.freePort(), common,
          "kafka:\n  topics:\n    kpi: replay.kpi\n    alerts: replay.alerts\n");
      JobClient replayJob = PulseJobRunner.start(replay);
      try {
        Await.until(Duration.ofSeconds(60),
            () -> history(alertEvents(broker, "replay.alerts")).containsAll(history(live)));
        assertThat(history(alertEvents(broker, "replay.alerts"))).as("the replay's alert history")
            .isEqualTo(history(live));
      } finally {
        replayJob.cancel().get();
      }
    }
  }

  private static CrmChange lead(String id, long time) {
    return Changes.change(Entity.LEAD, id, ChangeType.CREATE, time, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u1");
  }

  /** The alerts Alertmanager holds active for this team and owner, as "alertname record". */
  private static Set<String> active(AlertmanagerServer alertmanager, String team, String owner) {
    try {
      Set<String> found = new TreeSet<>();
      for (JsonNode alert : JSON.readTree(alertmanager.get("/api/v2/alerts?active=true").body())) {
        JsonNode labels = alert.get("labels");
        if (team.equals(labels.path("team").asText()) && owner.equals(labels.path("owner_id").asText())
            && "active".equals(alert.path("status").path("state").asText())) {
          found.add(labels.path("alertname").asText() + " "
              + labels.path("deal_id").asText(labels.path("lead_id").asText()));
        }
      }
      return found;
    } catch (Exception e) {
      return Set.of();
    }
  }

  /** The one alert Alertmanager holds with this label value. */
  private static JsonNode held(AlertmanagerServer alertmanager, String label, String value) throws Exception {
    for (JsonNode alert : JSON.readTree(alertmanager.get("/api/v2/alerts?active=true").body())) {
      if (value.equals(alert.get("labels").path(label).asText())) {
        return alert;
      }
    }
    throw new AssertionError("Alertmanager holds no alert with " + label + "=" + value);
  }

  private static String alertAndRecord(AlertEvent event) {
    return event.getAlertName() + " " + event.getLabels().getOrDefault("deal_id", event.getLabels().get("lead_id"));
  }

  /** Every event as its identity, status, moments and reason: what a replay must give again. */
  private static Set<String> history(List<AlertEvent> events) {
    return events.stream().map(e -> e.getAlertName() + new TreeMap<>(e.getLabels()) + " " + e.getStatus() + " "
        + e.getStartsAt() + " " + e.getEndsAt() + " " + e.getReason()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<AlertEvent> alertEvents(KafkaTestBroker broker, String topic) {
    List<AlertEvent> events = new ArrayList<>();
    broker.readAll(topic, Duration.ofMillis(500)).forEach(r -> events.add(Codecs.alertEvent().decode(r.value())));
    return events;
  }

}
