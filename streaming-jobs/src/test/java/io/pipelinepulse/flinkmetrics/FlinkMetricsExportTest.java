package io.pipelinepulse.flinkmetrics;

import static io.pipelinepulse.testing.Changes.opportunity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.PipelinePulseJob;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink's own job metrics reach Prometheus: checkpoints, restarts and the Kafka source's pending
 * records are served on the configured loopback port while the job runs.
 */
class FlinkMetricsExportTest {

  private static final int FLINK_PORT = freePort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(reporter()).build());

  private static int freePort() {
    try {
      return PulseJobRunner.freePort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Configuration reporter() {
    Configuration flink = new Configuration();
    PipelinePulseJob.flinkMetrics(flink, io.pipelinepulse.config.PulseConfigLoader.fromYaml(
        "metrics:\n  flink-port: " + FLINK_PORT + "\n"));
    return flink;
  }

  @Test
  void checkpointsRestartsAndKafkaLagAreServed() throws Exception {
    try (KafkaTestBroker broker = KafkaTestBroker.start()) {
      for (String topic : new String[] {"crm.changes", "pulse.kpi", "pulse.dead-letter", "pulse.alerts"}) {
        broker.createTopic(topic, 1);
      }
      CrmChange change = opportunity("D1", ChangeType.CREATE, System.currentTimeMillis(), "stage", "Prospecting",
          "ownerId", "u1");
      broker.send("crm.changes", "D1".getBytes(StandardCharsets.UTF_8), Codecs.crmChange().encode(change));
      PulseConfig config = PulseJobRunner.testConfig(broker, PulseJobRunner.freePort());
      JobClient job = PulseJobRunner.start(config);
      try {
        String url = "http://127.0.0.1:" + FLINK_PORT + "/metrics";
        Map<String, Double> page = MetricsPage.awaitPage(url, Duration.ofSeconds(60),
            p -> total(p, "flink_jobmanager_job_numberOfCompletedCheckpoints{") >= 1);
        assertThat(page.keySet()).anyMatch(key -> key.startsWith("flink_jobmanager_job_numberOfFailedCheckpoints{")
            && key.contains("job_name=pipeline-pulse-test"));
        assertThat(page.keySet()).anyMatch(key -> key.startsWith("flink_jobmanager_job_numRestarts{"));
        assertThat(page.keySet()).as("the Kafka source's backlog")
            .anyMatch(key -> key.startsWith("flink_taskmanager_job_task_operator_pendingRecords{"));
        assertThat(page.keySet()).as("back pressure per task")
            .anyMatch(key -> key.startsWith("flink_taskmanager_job_task_backPressuredTimeMsPerSecond{"));
      } finally {
        job.cancel().get();
      }
    }
  }

  private static double total(Map<String, Double> page, String prefix) {
    return page.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
  }

  @Test
  void portIsOneNumberOrARange() {
    assertThat(FlinkMetricsReporter.ports("9251")).containsExactly(9251, 9251);
    assertThat(FlinkMetricsReporter.ports("9251-9260")).containsExactly(9251, 9260);
    assertThatThrownBy(() -> FlinkMetricsReporter.ports("9260-9251")).hasMessageContaining("9260-9251");
    assertThatThrownBy(() -> FlinkMetricsReporter.ports("http")).hasMessageContaining("not a port");
  }
}
