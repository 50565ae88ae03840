package io.pipelinepulse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a real broker and a MiniCluster at parallelism 2, fed records of one input
 * format that a test writes to its topics before the job starts.
 */
public abstract class InputTopicJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  protected static final long MINUTE = 60_000L;

  protected static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
    broker.createTopic("pulse.kpi", 1);
    broker.createTopic("pulse.dead-letter", 1);
    broker.createTopic("pulse.reconciliation", 1);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  /** A commit time two to three hours ago, on the minute: history the job reads as a backlog. */
  protected static long historyStart() {
    return (System.currentTimeMillis() / MINUTE) * MINUTE - 180 * MINUTE;
  }

  protected static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
  }

  /** The input counter series of {@code format}. */
  protected static String input(String format, String entity, String outcome) {
    return MetricsPage.series("pulse_input_events_total", "format", format, "entity", entity, "outcome", outcome);
  }

  /**
   * Runs the job with {@code yamlLayers} over the test defaults until its endpoint shows every
   * expected value, and returns that page.
   */
  protected static Map<String, Double> runUntil(Map<String, Double> expected, String... yamlLayers) throws Exception {
    int port = PulseJobRunner.freePort();
    PulseConfig config = PulseJobRunner.testConfig(broker, port, yamlLayers);
    JobClient job = PulseJobRunner.start(config);
    try {
      Map<String, Double> page = MetricsPage.awaitPage("http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(120),
          p -> expected.entrySet().stream().allMatch(e -> e.getValue().equals(p.get(e.getKey()))));
      assertThat(page).containsAllEntriesOf(expected);
      return page;
    } finally {
      job.cancel().get();
    }
  }
}
