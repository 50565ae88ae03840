package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming job against the reference model: generated histories (out of order within the
 * bound, duplicates, unreadable and late records, deletes and undeletes, owners changing teams,
 * skipped and regressed stages, mixed currencies) go through the real job on a real broker and a
 * MiniCluster at parallelism 2; the KPI topic, read back as a timeline, must hold the model's
 * values at every sampled point of the clock, and the input counters the model's counts.
 *
 * <p>Most histories go through the dataflow alone ({@link InMemoryDataflowTest}, twelve seeds);
 * here one fixed seed takes the whole way through the broker in each replay. More of them:
 * {@code mvn -pl streaming-jobs test -Dtest=DifferentialTest -Dpulse.differential.broker-seeds=1,2,3}.
 */
class DifferentialTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long BOUND = MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;

  private static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  /** How the history reaches the job. */
  enum Replay {
    /** All of it in the topic before the job starts: a backfill as fast as the job goes. */
    FAST,
    /** Sent in small batches while the job runs, as a live stream would arrive. */
    PACED,
    /** The first half, a stop with a savepoint, the rest into the job restored from it. */
    RESTART
  }

  @Test
  void jobAgreesWithTheReferenceModelOnGeneratedHistories() throws Exception {
    String seeds = System.getProperty("pulse.differential.broker-seeds", "7");
    for (String seed : seeds.split(",")) {
      runHistory(Long.parseLong(seed.trim()), Replay.FAST);
    }
  }

  /** Replay determinism: the same history paced as a live stream gives the model's values too. */
  @Test
  void pacedReplayAgreesWithTheReferenceModel() throws Exception {
    runHistory(7, Replay.PACED);
  }

  /** Restart exactness: stopped mid-history with a savepoint and restored, nothing is counted twice. */
  @Test
  void restartFromASavepointAgreesWithTheReferenceModel() throws Exception {
    runHistory(7, Replay.RESTART);
  }

  private void runHistory(long seed, Replay replay) throws Exception {
    long now = System.currentTimeMillis();
    // Points of the clock on whole minutes: windows move a minute at a time.
    long start = (now / TEN_MINUTES) * TEN_MINUTES - 40 * DAY;
    GeneratedHistory history = new HistoryGenerator(seed, BOUND).generate(start, 39, 160);
    String name = seed + "." + replay.name().toLowerCase(Locale.ROOT);
    String input = "crm.changes." + name;
    String kpi = "pulse.kpi." + name;
    broker.createTopic(input, 4);
    broker.createTopic(kpi, 2);
    broker.createTopic("pulse.dead-letter." + name, 1);
    int port = PulseJobRunner.freePort();
    // Replaying history paced or across a restart, no pause may look like idle input: the clock
    // would jump to the wall clock and make the rest of the history late.
    String idle = replay == Replay.FAST ? "clock:\n  idle-timeout: 5s\n  backlog-idle-timeout: 5s\n"
        : "clock:\n  idle-timeout: 20s\n  backlog-idle-timeout: 20s\n";
    PulseConfig config = PulseJobRunner.testConfig(broker, port, HistoryGenerator.configYaml(), idle,
        "kafka:\n  inputs:\n    - topic: " + input + "\n      format: canonical\n"
        + "  topics:\n    kpi: " + kpi + "\n    dead-letter: pulse.dead-letter." + name + "\n");

    List<GeneratedHistory.Delivery> deliveries = history.deliveries();
    int delivered = deliveries.size();
    String url = "http://127.0.0.1:" + port + "/metrics";
    JobClient job;
    if (replay == Replay.FAST) {
      HistoryRuns.send(broker, input, deliveries, 0, delivered, 0);
      job = PulseJobRunner.start(config);
    } else if (replay == Replay.PACED) {
      job = PulseJobRunner.start(config);
      HistoryRuns.send(broker, input, deliveries, 0, delivered, 50);
    } else {
      int half = delivered / 2;
      HistoryRuns.send(broker, input, deliveries, 0, half, 0);
      JobClient first = PulseJobRunner.start(config);
      MetricsPage.awaitPage(url, Duration.ofSeconds(120),
          page -> HistoryRuns.total(page, "pulse_input_events_total") == half);
      String savepoint = first.stopWithSavepoint(false,
          java.nio.file.Files.createTempDirectory("pulse-savepoint").toUri().toString(),
          org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
      HistoryRuns.send(broker, input, deliveries, half, delivered, 0);
      job = PulseJobRunner.start(config, savepoint);
    }
    try {
      HistoryRuns.completeHistory(broker, input, url, history);
      long lastPoint = ((System.currentTimeMillis() - BOUND - 2 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
      KpiTimeline timeline = new KpiTimeline(HistoryRuns.readKpis(broker, kpi));
      ReferenceModel model = new ReferenceModel(config, history.changes());
      int compared = 0;
      for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
        compared += HistoryRuns.assertKpisAt(config, model, timeline, m, name);
      }
      assertThat(compared).as("series compared over all points").isGreaterThan(2000);
      Map<String, Double> roundTheClock = new ReferenceModel(
          PulseConfigLoader.fromYaml(HistoryGenerator.configYaml(false)), history.changes()).valuesAt(lastPoint);
      assertThat(breaches(model.valuesAt(lastPoint))).as("East's business hours change its breaches in this history")
          .isNotEqualTo(breaches(roundTheClock));
    } finally {
      job.cancel().get();
    }
  }

  private static Map<String, Double> breaches(Map<String, Double> values) {
    Map<String, Double> breaches = new java.util.TreeMap<>(values);
    breaches.keySet().removeIf(key -> !key.startsWith("pulse_lead_response_sla_breaches_total{lead_source=")
        || !key.contains("team=East"));
    return breaches;
  }
}
