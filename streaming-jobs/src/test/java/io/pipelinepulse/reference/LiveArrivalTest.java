package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live equals replay: a generated history arrives while the job runs, after the job has been idle
 * for longer than the idle timeout (its partitions marked idle), in bursts and pauses, its
 * partitions fed in a shuffled order within each burst; under every {@code kafka.starting-offsets}
 * the KPIs and the open per-record alerts at every sampled point of the clock must be the
 * reference model's (which are also a replay's: the differential test replays the same kind of
 * history from a complete topic), and no change of the history may be counted late.
 *
 * <p>The clock runs with the default out-of-orderness bound; the idle timeouts are shortened
 * (3 s and 6 s instead of 10 s and 5 min) so that the clock reaches the wall clock soon after the
 * history, and every pause of the feed is shorter than them. More seeds:
 * {@code -Dpulse.live.seeds=3,4,5}.
 */
class LiveArrivalTest {

  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;
  private static final long BOUND = MINUTE;
  private static final int PARTITIONS = 4;
  private static final long IDLE_TIMEOUT_MILLIS = 3_000;

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @ParameterizedTest(name = "starting-offsets {0}, history {1}")
  @CsvSource({"committed, 3", "earliest, 5", "latest, 8"})
  void aHistoryArrivingLiveGivesTheReplayedValues(String startingOffsets, long seed) throws Exception {
    List<Long> seeds = new ArrayList<>(List.of(seed));
    String more = System.getProperty("pulse.live.seeds", "");
    if (!more.isBlank()) {
      seeds.clear();
      for (String extra : more.split(",")) {
        seeds.add(Long.parseLong(extra.trim()));
      }
    }
    for (long s : seeds) {
      runLive(startingOffsets, s);
    }
  }

  private void runLive(String startingOffsets, long seed) throws Exception {
    long now = System.currentTimeMillis();
    long start = (now / TEN_MINUTES) * TEN_MINUTES - 40 * DAY;
    GeneratedHistory history = new HistoryGenerator(seed, BOUND).generate(start, 39, 120);
    String name = "live." + startingOffsets + "." + seed;
    String input = "crm.changes." + name;
    broker.createTopic(input, PARTITIONS);
    int port = PulseJobRunner.freePort();
    PulseConfig config = PulseJobRunner.testConfig(broker, port, HistoryGenerator.configYaml(),
        "clock:\n  idle-timeout: " + IDLE_TIMEOUT_MILLIS + "ms\n  backlog-idle-timeout: 6s\n",
        "kafka:\n  starting-offsets: " + startingOffsets + "\n  inputs:\n    - topic: " + input
            + "\n      format: canonical\n  topics:\n    kpi: pulse.kpi." + name + "\n    alerts: pulse.alerts." + name
            + "\n    dead-letter: pulse.dead-letter." + name + "\n    reconciliation: pulse.reconciliation." + name
            + "\n");
    String url = "http://127.0.0.1:" + port + "/metrics";
    JobClient job = PulseJobRunner.start(config);
    try {
      MetricsPage.awaitPage(url, Duration.ofSeconds(60), page -> !page.isEmpty());
      // Idle for longer than the idle timeout: every partition is marked idle before the first change.
      Thread.sleep(2 * IDLE_TIMEOUT_MILLIS + 1_000);
      sendLive(input, history.deliveries(), new Random(seed));

      HistoryRuns.completeHistory(broker, input, url, history);

      long lastPoint = ((System.currentTimeMillis() - BOUND - 2 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
      ReferenceModel model = new ReferenceModel(config, history.changes());
      KpiTimeline timeline = new KpiTimeline(HistoryRuns.readKpis(broker, "pulse.kpi." + name));
      SingleObjectCodec<AlertEvent> alertCodec = Codecs.alertEvent();
      List<AlertEvent> alerts = broker.readAll("pulse.alerts." + name, Duration.ofSeconds(1)).stream()
          .map(record -> alertCodec.decode(record.value())).toList();
      int compared = 0;
      for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
        compared += HistoryRuns.assertKpisAt(config, model, timeline, m, name);
        Map<String, Set<String>> expected = model.openAlertsAt(m);
        expected.values().removeIf(Set::isEmpty);
        assertThat(HistoryRuns.openAlertsAt(alerts, m)).as("%s: open alerts at %s", name,
            java.time.Instant.ofEpochMilli(m)).isEqualTo(expected);
      }
      assertThat(compared).as("series compared over all points").isGreaterThan(1000);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Sends the deliveries as a live stream would bring them: in bursts of 20 to 200 records with
   * pauses of up to 1.5 s (shorter than the idle timeout), each record to the partition of its key,
   * the partitions of a burst fed one after another in a random order.
   */
  private static void sendLive(String topic, List<GeneratedHistory.Delivery> deliveries, Random random)
      throws Exception {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      int i = 0;
      while (i < deliveries.size()) {
        int burst = Math.min(deliveries.size() - i, 20 + random.nextInt(181));
        List<List<GeneratedHistory.Delivery>> byPartition = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          byPartition.add(new ArrayList<>());
        }
        for (GeneratedHistory.Delivery delivery : deliveries.subList(i, i + burst)) {
          byPartition.get(Math.floorMod(delivery.key().hashCode(), PARTITIONS)).add(delivery);
        }
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        Collections.shuffle(order, random);
        for (int p : order) {
          for (GeneratedHistory.Delivery delivery : byPartition.get(p)) {
            byte[] value = delivery.change() != null ? codec.encode(delivery.change()) : delivery.raw();
            producer.send(new ProducerRecord<>(topic, p, delivery.key().getBytes(StandardCharsets.UTF_8), value));
          }
          producer.flush();
        }
        i += burst;
        if (random.nextInt(3) == 0) {
          Thread.sleep(random.nextInt(1500));
        }
      }
    }
  }
}
