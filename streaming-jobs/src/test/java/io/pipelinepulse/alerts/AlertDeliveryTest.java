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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-record alerts end to end: the job on a MiniCluster, a real Kafka broker, a real Alertmanager
 * routing by team to a webhook per manager. A backfill pages only for what is still open; a stall
 * reaches its team's manager once and resolves on an activity; a silence holds; a lead breaches
 * its SLA on time with no further input; alerts that open while Alertmanager is down arrive when
 * it is back.
 */
class AlertDeliveryTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SECOND = 1000L;
  private static final long DAY = 86_400_000L;

  @TempDir
  Path dir;

  private static String alertmanagerConfig(WebhookReceiver webhook) {
    return String.join("\n",
        "route:",
        "  receiver: default",
        "  group_by: [alertname, team]",
        // Long enough for the stalls both lifecycle subtasks find in one backfill to reach one
        // group on a loaded machine: each subtask posts when its own clock passes them.
        "  group_wait: 3s",
        "  group_interval: 1s",
        "  repeat_interval: 1h",
        "  routes:",
        "    - matchers: ['team=\"East\"']",
        "      receiver: east-manager",
        "    - matchers: ['team=\"West\"']",
        "      receiver: west-manager",
        "receivers:",
        "  - name: default",
        "    webhook_configs: [{url: '" + webhook.url("/default") + "', send_resolved: true}]",
        "  - name: east-manager",
        "    webhook_configs: [{url: '" + webhook.url("/east") + "', send_resolved: true}]",
        "  - name: west-manager",
        "    webhook_configs: [{url: '" + webhook.url("/west") + "', send_resolved: true}]",
        "");
  }

  @Test
  void alertsReachTheRightManagerOnceResolveHoldSilencesAndSurviveAnOutage() throws Exception {
    try (KafkaTestBroker broker = KafkaTestBroker.start();
        WebhookReceiver webhook = new WebhookReceiver();
        AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"),
            alertmanagerConfig(webhook))) {
      for (String topic : List.of("crm.changes", "pulse.kpi", "pulse.dead-letter", "pulse.alerts")) {
        broker.createTopic(topic, topic.equals("crm.changes") ? 2 : 1);
      }
      long start = System.currentTimeMillis();
      // History: ten deals stalled a month ago and closed since, three stalled and still open.
      List<CrmChange> history = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        history.add(opportunity("R" + i, ChangeType.CREATE, start - 30 * DAY + i * SECOND, "stage", "Prospecting",
            "amount", 1000.0, "closeDate", "2099-01-01", "ownerId", "u1"));
        history.add(opportunity("R" + i, ChangeType.UPDATE, start - 20 * DAY + i * SECOND, "stage", "Closed Lost"));
      }
      for (int i = 1; i <= 3; i++) {
        history.add(opportunity("O" + i, ChangeType.CREATE, start - 30 * DAY + i * SECOND, "stage", "Prospecting",
            "amount", 2000.0, "closeDate", "2099-01-01", "ownerId", "u1"));
      }
      broker.sendChanges(history);

      PulseConfig config = PulseJobRunner.testConfig(broker, PulseJobRunner.freePort(),
          "clock:\n  out-of-orderness: 2s\n  idle-timeout: 1s\n  backlog-idle-timeout: 2s\n",
          "deals:\n  stalled-after: 8s\n",
          "leads:\n  response-sla: 6s\n",
          "directory:\n  users:\n    - {id: u1, team: East}\n    - {id: u2, team: West}\n",
          "alerts:\n  alertmanager-url: " + alertmanager.url() + "\n  repeat-interval: 2s\n  live-within: 1m\n"
              + "  record-url: https://crm.example.com/r/{id}\n");
      JobClient job = PulseJobRunner.start(config);
      try {
        // ---- backfill: only what is still open pages, in one message to East's manager
        Await.until(Duration.ofSeconds(60), () -> webhook.lines().contains("/east: firing DealStalled O3"));
        assertThat(webhook.received().get(0).alerts()).as("one message listing the team's stalled deals")
            .containsExactlyInAnyOrder("firing DealStalled O1", "firing DealStalled O2", "firing DealStalled O3");
        assertThat(webhook.lines()).noneMatch(line -> line.contains(" R"));

        // ---- a live stall: one notification naming the deal, to East's manager only
        long now = System.currentTimeMillis();
        broker.sendChanges(List.of(opportunity("D1", ChangeType.CREATE, now, "stage", "Negotiation/Review",
            "amount", 5000.0, "closeDate", "2099-01-01", "ownerId", "u1")));
        Await.until(Duration.ofSeconds(40), () -> webhook.lines().contains("/east: firing DealStalled D1"));
        Thread.sleep(4 * SECOND); // re-posts every 2 s must not notify again
        assertThat(notificationsWith(webhook, "firing DealStalled D1")).isEqualTo(1);
        assertThat(webhook.lines()).filteredOn(line -> line.contains("D1")).allMatch(line -> line.startsWith("/east"));
        JsonNode d1 = alertIn(webhook, "D1");
        assertThat(d1.get("labels").get("owner_id").asText()).isEqualTo("u1");
        assertThat(d1.get("annotations").get("record_url").asText()).isEqualTo("https://crm.example.com/r/D1");
        assertThat(d1.get("annotations").get("runbook_url").asText()).endsWith("/alerting/runbooks/DealStalled.md");

        // ---- an activity resolves it
        broker.sendChanges(List.of(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE,
            System.currentTimeMillis(), "opportunityId", "D1", "ownerId", "u1", "type", "call")));
        Await.until(Duration.ofSeconds(30), () -> webhook.lines().contains("/east: resolved DealStalled D1"));

        // ---- a silence on a deal holds; a lead breaches its SLA on time with no further input
        String silence = JSON.writeValueAsString(JSON.createObjectNode()
            .put("createdBy", "test").put("comment", "known, being handled")
            .put("startsAt", Instant.now().minusSeconds(5).toString())
            .put("endsAt", Instant.now().plusSeconds(3600).toString())
            .set("matchers", JSON.readTree("[{\"name\":\"deal_id\",\"value\":\"D2\",\"isRegex\":false}]")));
        assertThat(alertmanager.post("/api/v2/silences", silence).statusCode()).isEqualTo(200);
        long created = System.currentTimeMillis();
        broker.sendChanges(List.of(
            opportunity("D2", ChangeType.CREATE, created, "stage", "Prospecting", "amount", 10.0,
                "closeDate", "2099-01-01", "ownerId", "u1"),
            Changes.change(Entity.LEAD, "L1", ChangeType.CREATE, created, "status", "Open - Not Contacted",
                "leadSource", "Web", "ownerId", "u1")));
        Await.until(Duration.ofSeconds(40), () -> webhook.lines().contains("/east: firing LeadResponseSlaBreached L1"));
        JsonNode l1 = alertIn(webhook, "L1");
        assertThat(Instant.parse(l1.get("startsAt").asText()).toEpochMilli()).as("breached at creation + SLA")
            .isEqualTo(created + 6 * SECOND);
        Await.until(Duration.ofSeconds(40), () -> suppressed(alertmanager, "D2"));
        Thread.sleep(3 * SECOND);
        assertThat(webhook.lines()).noneMatch(line -> line.contains("D2"));

        // ---- Alertmanager away while a deal stalls: the alert arrives once it is back
        alertmanager.stop();
        broker.sendChanges(List.of(opportunity("D3", ChangeType.CREATE, System.currentTimeMillis(),
            "stage", "Prospecting", "amount", 10.0, "closeDate", "2099-01-01", "ownerId", "u2")));
        Await.until(Duration.ofSeconds(40), () -> alertsTopicHas(broker, "D3"));
        Thread.sleep(3 * SECOND);
        alertmanager.start();
        Await.until(Duration.ofSeconds(40), () -> webhook.lines().contains("/west: firing DealStalled D3"));
      } finally {
        job.cancel().get();
      }
    }
  }

  private static long notificationsWith(WebhookReceiver webhook, String alert) {
    return webhook.received().stream().filter(n -> n.alerts().contains(alert)).count();
  }

  private static JsonNode alertIn(WebhookReceiver webhook, String id) {
    for (WebhookReceiver.Notification notification : webhook.received()) {
      for (JsonNode alert : notification.body().get("alerts")) {
        JsonNode labels = alert.get("labels");
        if (id.equals(labels.path("deal_id").asText()) || id.equals(labels.path("lead_id").asText())) {
          return alert;
        }
      }
    }
    throw new AssertionError("no notification names " + id + ": " + webhook.lines());
  }

  private static boolean suppressed(AlertmanagerServer alertmanager, String dealId) {
    try {
      String filter = URLEncoder.encode("deal_id=\"" + dealId + "\"", StandardCharsets.UTF_8);
      JsonNode alerts = JSON.readTree(alertmanager.get("/api/v2/alerts?filter=" + filter).body());
      return alerts.size() == 1 && alerts.get(0).get("status").get("state").asText().equals("suppressed");
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean alertsTopicHas(KafkaTestBroker broker, String dealId) {
    return broker.readAll("pulse.alerts", Duration.ofMillis(500)).stream()
        .map(record -> Codecs.alertEvent().decode(record.value()))
        .anyMatch(event -> event.getStatus() == AlertStatus.FIRING && dealId.equals(event.getLabels().get("deal_id")));
  }

}
