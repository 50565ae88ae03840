package io.pipelinepulse.localstack.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.testing.AlertmanagerServer;
import io.pipelinepulse.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager configuration written from the user directory: a route and a receiver per team
 * with the manager's integrations from the contacts file; checked by amtool, and delivered for real
 * by an Alertmanager running it.
 */
class AlertmanagerConfigMainTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AlertmanagerConfigMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs amtool; its standard output, without the warnings it writes to standard error. */
  private static String amtool(String... args) throws Exception {
    Path errors = Files.createTempFile("amtool", ".err");
    Process process = new ProcessBuilder(args).redirectError(errors.toFile()).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output + Files.readString(errors)).isZero();
    Files.delete(errors);
    return output.strip();
  }

  private Path directoryConfig() throws Exception {
    return Files.writeString(dir.resolve("pulse.yaml"), """
        directory:
          users:
            - {id: U1, team: East, manager: M1}
            - {id: U2, team: East, manager: M1}
            - {id: U3, team: West Coast, manager: M2}
        """);
  }

  @Test
  void theCheckedInConfigurationIsTheGeneratedOneForTheSimulatedTeams() throws Exception {
    Result result = run("--teams", "East,West,Central,Enterprise");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(Files.readString(ROOT.resolve("alerting/alertmanager/alertmanager.yml")))
        .as("alerting/alertmanager/alertmanager.yml is regenerated with: local-stack/alertmanager-config "
            + "--teams East,West,Central,Enterprise --out alerting/alertmanager/alertmanager.yml")
        .isEqualTo(result.out());
  }

  @Test
  void everyTeamOfTheDirectoryRoutesToItsManagerAndOpsAlertsToOnCall() throws Exception {
    Path contacts = Files.writeString(dir.resolve("contacts.yaml"), """
        on-call:
          webhook_configs: [{url: "http://127.0.0.1:1/on-call"}]
        teams:
          East:
            email_configs: [{to: east-manager@example.com, from: pulse@example.com, smarthost: "127.0.0.1:25"}]
          Partners:
            webhook_configs: [{url: "http://127.0.0.1:1/partners"}]
        """);
    Path out = dir.resolve("alertmanager.yml");
    Result result = run("--config", directoryConfig().toString(), "--contacts", contacts.toString(), "--out", out.toString());
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("team West Coast has no contacts").doesNotContain("team East has");

    amtool("amtool", "check-config", out.toString());
    String config = "--config.file=" + out;
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=DealStalled", "team=East")).isEqualTo("manager-east");
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=LeadResponseSlaBreached", "team=West Coast"))
        .isEqualTo("manager-west-coast");
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=DealPastDue", "team=Partners")).isEqualTo("manager-partners");
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=DealStalled", "team=unknown")).isEqualTo("sales-ops");
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=PulseCheckpointsFailing")).isEqualTo("on-call");
    assertThat(amtool("amtool", "config", "routes", "test", config, "alertname=PulseStalledAmountHigh", "team=East")).isEqualTo("sales-ops");
    assertThat(Files.readString(out)).contains("to: east-manager@example.com");
  }

  @Test
  void aRunningAlertmanagerDeliversEachTeamsAlertsToItsOwnManagerOnly() throws Exception {
    try (WebhookReceiver webhooks = new WebhookReceiver()) {
      Path contacts = Files.writeString(dir.resolve("contacts.yaml"), String.join("\n",
          "on-call:",
          "  webhook_configs: [{url: '" + webhooks.url("/on-call") + "'}]",
          "teams:",
          "  East:",
          "    webhook_configs: [{url: '" + webhooks.url("/east") + "'}]",
          "  West Coast:",
          "    webhook_configs: [{url: '" + webhooks.url("/west-coast") + "'}]",
          ""));
      Result result = run("--config", directoryConfig().toString(), "--contacts", contacts.toString());
      assertThat(result.exit()).as(result.err()).isZero();
      // the generated waits are for people; the test does not wait half a minute for a group
      String config = result.out().replace("group_wait: 30s", "group_wait: 1s").replace("group_wait: 10s", "group_wait: 1s");
      try (AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"), config)) {
        String alerts = """
            [{"labels": {"alertname": "DealStalled", "severity": "warning", "team": "East", "deal_id": "D1"}},
             {"labels": {"alertname": "DealStalled", "severity": "warning", "team": "East", "deal_id": "D2"}},
             {"labels": {"alertname": "DealStalled", "severity": "warning", "team": "West Coast", "deal_id": "D3"}},
             {"labels": {"alertname": "PulseClockStalled", "severity": "critical"}}]""";
        assertThat(alertmanager.post("/api/v2/alerts", alerts).statusCode()).isEqualTo(200);
        long deadline = System.currentTimeMillis() + 30_000;
        while (webhooks.received().size() < 3 && System.currentTimeMillis() < deadline) {
          Thread.sleep(200);
        }
        Thread.sleep(1500); // anything further would arrive now
        assertThat(webhooks.received()).hasSize(3);
        assertThat(webhooks.lines()).containsExactlyInAnyOrder(
            "/east: firing DealStalled D1", "/east: firing DealStalled D2",
            "/west-coast: firing DealStalled D3", "/on-call: firing PulseClockStalled ");
      }
    }
  }

  @Test
  void aChatMessageCarriesEachAlertsSummaryDescriptionAndRecordLink() throws Exception {
    try (WebhookReceiver chat = new WebhookReceiver()) {
      Path contacts = Files.writeString(dir.resolve("contacts.yaml"), String.join("\n",
          "teams:",
          "  East:",
          "    slack_configs: [{api_url: '" + chat.url("/slack") + "', channel: '#east', send_resolved: true}]",
          ""));
      Result result = run("--config", directoryConfig().toString(), "--contacts", contacts.toString());
      assertThat(result.exit()).as(result.err()).isZero();
      String config = result.out().replace("group_wait: 30s", "group_wait: 1s");
      try (AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"), config)) {
        String alerts = """
            [{"labels": {"alertname": "DealStalled", "severity": "warning", "team": "East", "deal_id": "006A1"},
              "annotations": {"summary": "Deal \\"Acme renewal\\" (006A1) has stalled in Negotiation",
                "description": "Idle since 2026-11-10 14:05 UTC: no stage change or activity.",
                "record_url": "https://crm.example.com/006A1",
                "runbook_url": "https://example.com/runbooks/DealStalled.md"}}]""";
        assertThat(alertmanager.post("/api/v2/alerts", alerts).statusCode()).isEqualTo(200);
        long deadline = System.currentTimeMillis() + 30_000;
        while (chat.received().isEmpty() && System.currentTimeMillis() < deadline) {
          Thread.sleep(200);
        }
        assertThat(chat.received()).isNotEmpty();
        JsonNode message = chat.received().get(0).body().get("attachments").get(0);
        assertThat(message.get("title").asText()).isEqualTo("[FIRING] DealStalled, team East (1)");
        assertThat(message.get("text").asText())
            .contains("Deal \"Acme renewal\" (006A1) has stalled in Negotiation")
            .contains("Idle since 2026-11-10 14:05 UTC")
            .contains("Open: https://crm.example.com/006A1")
            .contains("Runbook: https://example.com/runbooks/DealStalled.md");
      }
    }
  }

  @Test
  void aContactsFileWithAnUnknownIntegrationShapeIsRefusedNamingTheKey() throws Exception {
    Path contacts = Files.writeString(dir.resolve("contacts.yaml"), """
        teams:
          East:
            email: east-manager@example.com
        """);
    Result result = run("--contacts", contacts.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("teams.East.email: expected a list of an Alertmanager integration");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aBadCommandLineOrConfigurationSaysWhat() throws Exception {
    assertThat(run("--teams", "East,,West").err()).contains("empty team name");
    assertThat(run("--contacts", dir.resolve("missing.yaml").toString()).err()).contains("cannot read the contacts file");
    Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "directory:\n  users:\n    - {id: U1}\n");
    Result bad = run("--config", badConfig.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("directory.users");
    assertThat(run("--help").out()).contains("Usage: alertmanager-config");
  }

  @Test
  void teamsWhoseReceiverNamesWouldCollideAreRefused() {
    Result result = run("--teams", "West Coast,west-coast");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("manager-west-coast");
    assertThat(List.of(AlertmanagerConfigGenerator.receiverOf("Enterprise (EMEA)"))).containsExactly("manager-enterprise-emea");
  }
}
