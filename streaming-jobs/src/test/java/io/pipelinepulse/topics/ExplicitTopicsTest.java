package io.pipelinepulse.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.reference.GeneratedHistory;
import io.pipelinepulse.reference.HistoryGenerator;
import io.pipelinepulse.reference.HistoryRuns;
import io.pipelinepulse.reference.KpiTimeline;
import io.pipelinepulse.reference.ReferenceModel;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.PulseJobRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job owns its topics on a broker that would create any topic on first write (as many users'
 * clusters do): without {@code kafka.create-topics} a missing topic stops the start naming it;
 * with it the job creates every missing topic with the configured settings before any sink writes,
 * and a history whose alerts open from the first second runs through without a restart, giving
 * the reference model's KPIs and open alerts.
 */
class ExplicitTopicsTest {

  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;
  private static final int FLINK_METRICS_PORT = PulseJobRunner.unusedPort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster(FLINK_METRICS_PORT);

  private static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start(Map.of("auto.create.topics.enable", "true", "num.partitions", "1"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void withoutCreateTopicsAMissingTopicStopsTheStartNamingEveryOne() throws Exception {
    broker.createTopic("crm.changes.strict", 2);
    broker.createTopic("pulse.kpi.strict", 1);
    PulseConfig config = PulseJobRunner.testConfig(broker, PulseJobRunner.freePort(), """
        kafka:
          create-topics: false
          inputs:
            - {topic: crm.changes.strict, format: canonical}
            - {topic: crm.hubspot.strict, format: hubspot}
          topics:
            kpi: pulse.kpi.strict
            alerts: pulse.alerts.strict
            dead-letter: pulse.dead-letter.strict
            reconciliation: pulse.reconciliation.strict
        """);

    assertThatThrownBy(() -> PulseJobRunner.start(config))
        .isInstanceOf(TopicSetupException.class)
        .hasMessageContaining("4 of the job's topics do not exist on " + broker.bootstrapServers())
        .hasMessageContaining("crm.hubspot.strict (input, hubspot)")
        .hasMessageContaining("pulse.alerts.strict (alerts, kafka.topics.alerts)")
        .hasMessageContaining("pulse.dead-letter.strict (dead letters, kafka.topics.dead-letter)")
        .hasMessageContaining("pulse.reconciliation.strict (gap events, kafka.topics.reconciliation)")
        .hasMessageContaining("kafka.create-topics: true")
        .message().doesNotContain("crm.changes.strict").doesNotContain("pulse.kpi.strict");
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get()).as("the check itself creates nothing")
          .doesNotContain("crm.hubspot.strict", "pulse.alerts.strict", "pulse.dead-letter.strict",
              "pulse.reconciliation.strict");
    }
  }

  @Test
  void withCreateTopicsTheJobCreatesThemAsConfiguredAndRunsWithoutARestart() throws Exception {
    long now = System.currentTimeMillis();
    long start = (now / TEN_MINUTES) * TEN_MINUTES - 40 * DAY;
    GeneratedHistory history = new HistoryGenerator(11, MINUTE).generate(start, 39, 120);
    String input = "crm.changes.created";
    // The history is in its topic before the job starts: the job's first seconds open alerts at once.
    broker.createTopic(input, 4);
    HistoryRuns.send(broker, input, history.deliveries(), 0, history.deliveries().size(), 0);
    int port = PulseJobRunner.freePort();
    PulseConfig config = PulseJobRunner.testConfig(broker, port, HistoryGenerator.configYaml(),
        "clock:\n  idle-timeout: 5s\n  backlog-idle-timeout: 5s\n", """
        kafka:
          create-topics: true
          inputs:
            - {topic: crm.changes.created, format: canonical}
          topics:
            kpi: pulse.kpi.created
            alerts: pulse.alerts.created
            dead-letter: pulse.dead-letter.created
            reconciliation: pulse.reconciliation.created
          new-topics:
            replication-factor: 1
            kpi: {partitions: 3}
            alerts: {partitions: 2, configs: {retention.ms: "604800000"}}
            dead-letter: {partitions: 1, configs: {retention.ms: "1209600000", max.message.bytes: "2097152"}}
            reconciliation: {partitions: 1}
        """);

    JobClient job = PulseJobRunner.start(config);
    try {
      try (Admin admin = admin()) {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("pulse.kpi.created",
            "pulse.alerts.created", "pulse.dead-letter.created", "pulse.reconciliation.created", input))
            .allTopicNames().get();
        assertThat(topics.get("pulse.kpi.created").partitions()).hasSize(3);
        assertThat(topics.get("pulse.alerts.created").partitions()).hasSize(2);
        assertThat(topics.get("pulse.dead-letter.created").partitions()).hasSize(1);
        assertThat(topics.get(input).partitions()).as("an existing topic is left as it is").hasSize(4);
        assertThat(topicConfig(admin, "pulse.kpi.created").get("cleanup.policy").value())
            .as("the default kpi configs").isEqualTo("compact");
        assertThat(topicConfig(admin, "pulse.alerts.created").get("retention.ms").value()).isEqualTo("604800000");
        Config deadLetters = topicConfig(admin, "pulse.dead-letter.created");
        assertThat(deadLetters.get("retention.ms").value()).isEqualTo("1209600000");
        assertThat(deadLetters.get("max.message.bytes").value()).isEqualTo("2097152");
      }

      HistoryRuns.completeHistory(broker, input, "http://127.0.0.1:" + port + "/metrics", history);

      long lastPoint = ((System.currentTimeMillis() - 3 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
      ReferenceModel model = new ReferenceModel(config, history.changes());
      KpiTimeline timeline = new KpiTimeline(HistoryRuns.readKpis(broker, "pulse.kpi.created"));
      SingleObjectCodec<AlertEvent> alertCodec = Codecs.alertEvent();
      List<AlertEvent> alerts = broker.readAll("pulse.alerts.created", Duration.ofSeconds(1)).stream()
          .map(record -> alertCodec.decode(record.value())).toList();
      assertThat(model.openAlertsAt(start + DAY).values().stream().mapToInt(Set::size).sum())
          .as("alerts open on the history's first day, so the alerts sink writes from the job's first second")
          .isPositive();
      int comparedAlerts = 0;
      for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
        HistoryRuns.assertKpisAt(config, model, timeline, m, "topics-created");
        Map<String, Set<String>> expected = model.openAlertsAt(m);
        expected.values().removeIf(Set::isEmpty);
        assertThat(HistoryRuns.openAlertsAt(alerts, m)).as("open alerts at %s", java.time.Instant.ofEpochMilli(m))
            .isEqualTo(expected);
        comparedAlerts += expected.values().stream().mapToInt(Set::size).sum();
      }
      assertThat(comparedAlerts).as("open alerts compared over all points").isGreaterThan(20);

      PulseJobRunner.assertNeverRestarted(FLINK_METRICS_PORT);
    } finally {
      job.cancel().get();
    }
  }

  private static Config topicConfig(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }


}
