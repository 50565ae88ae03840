package io.pipelinepulse;

import static io.pipelinepulse.testing.Changes.opportunity;
import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.Changes;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With no input at all after the first records, the job's clock follows the wall clock: an
 * awaiting lead's wait grows, its SLA breach is counted when the deadline passes, and a rolling
 * window empties when its exit ages out.
 */
class IdleClockTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static final long SECOND = 1000L;
  private static final long DAY = 86_400_000L;

  @Test
  void deadlinesPassAndWindowsEmptyWithNoNewInput() throws Exception {
    try (KafkaTestBroker broker = KafkaTestBroker.start()) {
      broker.createTopic("crm.changes", 2);
      broker.createTopic("pulse.kpi", 1);
      broker.createTopic("pulse.dead-letter", 1);
      long now = System.currentTimeMillis();
      List<CrmChange> history = List.of(
          opportunity("D1", ChangeType.CREATE, now - DAY - 600 * SECOND, "stage", "Prospecting", "ownerId", "u1"),
          opportunity("D1", ChangeType.UPDATE, now - DAY + 15 * SECOND, "stage", "Qualification"),
          Changes.change(Entity.LEAD, "L1", ChangeType.CREATE, now - 5 * SECOND,
              "status", "Open - Not Contacted", "leadSource", "Web", "ownerId", "u1"));
      for (CrmChange change : history) {
        broker.send("crm.changes", change.getRecordId().getBytes(StandardCharsets.UTF_8),
            Codecs.crmChange().encode(change));
      }
      int port = PulseJobRunner.freePort();
      PulseConfig config = PulseJobRunner.testConfig(broker, port,
          "clock:\n  out-of-orderness: 5s\n  idle-timeout: 2s\n  backlog-idle-timeout: 3s\n",
          "leads:\n  response-sla-by-source:\n    Web: 20s\n",
          "directory:\n  users:\n    - id: u1\n      team: East\n");
      JobClient job = PulseJobRunner.start(config);
      try {
        String url = "http://127.0.0.1:" + port + "/metrics";
        String exits1d = series("pulse_stage_exits", "pipeline", "default", "stage", "Prospecting", "team", "East",
            "window", "1d");
        String exits7d = series("pulse_stage_exits", "pipeline", "default", "stage", "Prospecting", "team", "East",
            "window", "7d");
        String awaiting = series("pulse_leads_awaiting_response", "lead_source", "Web", "team", "East");
        String oldestWait = series("pulse_lead_oldest_wait_seconds", "lead_source", "Web", "team", "East");
        String breaches = series("pulse_lead_response_sla_breaches_total", "lead_source", "Web", "team", "East");

        Map<String, Double> first = MetricsPage.awaitPage(url, Duration.ofSeconds(60),
            p -> Double.valueOf(1.0).equals(p.get(exits1d)) && Double.valueOf(1.0).equals(p.get(awaiting)));
        assertThat(first).doesNotContainKey(breaches);
        Thread.sleep(3000);
        Map<String, Double> later = MetricsPage.scrape(url);
        assertThat(later.get(oldestWait)).as("the oldest wait grows with the clock").isGreaterThan(first.get(oldestWait));

        Map<String, Double> breached = MetricsPage.awaitPage(url, Duration.ofSeconds(60),
            p -> Double.valueOf(1.0).equals(p.get(breaches)));
        assertThat(breached.get(awaiting)).isEqualTo(1.0);

        Map<String, Double> aged = MetricsPage.awaitPage(url, Duration.ofSeconds(150),
            p -> Double.valueOf(0.0).equals(p.get(exits1d)));
        assertThat(aged.get(exits7d)).isEqualTo(1.0);
        assertThat(aged.keySet()).noneMatch(k -> k.startsWith("pulse_stage_conversion_ratio")
            && k.contains("stage=Prospecting") && k.contains("window=1d"));
      } finally {
        job.cancel().get();
      }
    }
  }
}
