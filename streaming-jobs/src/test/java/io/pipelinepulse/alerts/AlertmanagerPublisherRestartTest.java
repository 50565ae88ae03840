package io.pipelinepulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.testing.AlertmanagerServer;
import java.nio.file.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert the job could not deliver before it stopped is delivered after the restore: the
 * publisher's checkpointed state carries it, with a real Alertmanager down then up.
 */
class AlertmanagerPublisherRestartTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void anUndeliveredAlertSurvivesARestartAndArrivesWhenAlertmanagerIsBack() throws Exception {
    try (AlertmanagerServer alertmanager = AlertmanagerServer.start(dir,
        "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n")) {
      alertmanager.stop();
      PulseConfig config = PulseConfigLoader.fromYaml("alerts:\n  alertmanager-url: " + alertmanager.url()
          + "\n  repeat-interval: 1s\n");
      long now = System.currentTimeMillis();
      AlertEvent firing = RecordAlert.named("DealStalled").label("team", "East").label("deal_id", "D7")
          .summary("Deal D7 has stalled").description("idle").firing(config.alerts(), "D7", now - 60_000);

      OperatorSubtaskState state;
      try (OneInputStreamOperatorTestHarness<AlertEvent, Void> before = harness(config)) {
        before.processElement(firing, now);
        before.processWatermark(now - 60_000);
        Thread.sleep(1500); // the sender tries, Alertmanager is down
        state = before.snapshot(1, now);
      }

      alertmanager.start();
      try (OneInputStreamOperatorTestHarness<AlertEvent, Void> after = new OneInputStreamOperatorTestHarness<>(
          new AlertmanagerPublisher(config.alerts(), System::currentTimeMillis))) {
        after.initializeState(state);
        after.open();
        after.processWatermark(System.currentTimeMillis() - 60_000);
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode alerts = JSON.createArrayNode();
        while (alerts.isEmpty() && System.currentTimeMillis() < deadline) {
          Thread.sleep(250);
          alerts = JSON.readTree(alertmanager.get("/api/v2/alerts").body());
        }
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("labels").get("deal_id").asText()).isEqualTo("D7");
        assertThat(alerts.get(0).get("status").get("state").asText()).isEqualTo("active");
      }
    }
  }

  private static OneInputStreamOperatorTestHarness<AlertEvent, Void> harness(PulseConfig config) throws Exception {
    OneInputStreamOperatorTestHarness<AlertEvent, Void> harness = new OneInputStreamOperatorTestHarness<>(
        new AlertmanagerPublisher(config.alerts(), System::currentTimeMillis));
    harness.open();
    return harness;
  }
}
