package io.pipelinepulse.reference;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.leads.AwaitingLeadsAggregator;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * <p>CI runs one fixed seed. More histories: {@code mvn -pl streaming-jobs test
 * -Dtest=DifferentialTest -Dpulse.differential.seeds=1,2,3,4,5}.
 */
class DifferentialTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /**
   * The SLA gauge repeats configuration, not a KPI of the history: every (team, lead source) with
   * leads awaiting has one, with its source's SLA.
   */
  private static void assertSlaBesideEveryAwaitingDimension(PulseConfig config, Map<String, Double> expected,
      Map<String, Double> actual) {
    for (String awaiting : expected.keySet()) {
      if (awaiting.startsWith("pulse_leads_awaiting_response{")) {
        String sla = AwaitingLeadsAggregator.SLA + awaiting.substring(awaiting.indexOf('{'));
        String source = awaiting.replaceAll(".*lead_source=([^,}]*).*", "$1");
        assertThat(actual.get(sla)).as(sla).isEqualTo(config.leads().slaMillis(source) / 1000.0);
      }
    }
  }

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
    String seeds = System.getProperty("pulse.differential.seeds", "7");
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

    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    List<GeneratedHistory.Delivery> deliveries = history.deliveries();
    int delivered = deliveries.size();
    String url = "http://127.0.0.1:" + port + "/metrics";
    JobClient job;
    if (replay == Replay.FAST) {
      send(input, deliveries, 0, delivered, codec, 0);
      job = PulseJobRunner.start(config);
    } else if (replay == Replay.PACED) {
      job = PulseJobRunner.start(config);
      send(input, deliveries, 0, delivered, codec, 50);
    } else {
      int half = delivered / 2;
      send(input, deliveries, 0, half, codec, 0);
      JobClient first = PulseJobRunner.start(config);
      MetricsPage.awaitPage(url, Duration.ofSeconds(120), page -> total(page, "pulse_input_events_total") == half);
      String savepoint = first.stopWithSavepoint(false,
          java.nio.file.Files.createTempDirectory("pulse-savepoint").toUri().toString(),
          org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
      send(input, deliveries, half, delivered, codec, 0);
      job = PulseJobRunner.start(config, savepoint);
    }
    try {
      MetricsPage.awaitPage(url, Duration.ofSeconds(180), page -> total(page, "pulse_input_events_total") == delivered
          && page.getOrDefault("pulse_clock_lag_seconds{}", Double.MAX_VALUE) < 120);
      try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
        for (CrmChange late : history.lateChanges()) {
          producer.send(new ProducerRecord<>(input, late.getRecordId().getBytes(StandardCharsets.UTF_8),
              codec.encode(late)));
        }
      }
      Map<String, Double> page = MetricsPage.awaitPage(url, Duration.ofSeconds(60),
          p -> total(p, "pulse_input_events_total") == delivered + history.lateChanges().size());
      assertInputCounts(history, page);
      // KPI snapshots reach the topic when the sink flushes (at checkpoints): wait for a quiet topic.
      Thread.sleep(3000);
      long lastPoint = ((System.currentTimeMillis() - BOUND - 2 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
      KpiTimeline timeline = new KpiTimeline(readKpis(kpi));
      ReferenceModel model = new ReferenceModel(config, history.changes());
      List<Long> points = new ArrayList<>();
      for (long m = start + DAY; m < history.lastCommitTime() + DAY; m += 11 * HOUR + 20 * MINUTE) {
        points.add(m);
      }
      points.add(history.lastCommitTime() - history.lastCommitTime() % TEN_MINUTES + TEN_MINUTES);
      points.add(lastPoint);
      int compared = 0;
      for (long m : points) {
        Map<String, Double> expected = model.valuesAt(m);
        Map<String, Double> actual = ReferenceModel.withoutZeroCounts(timeline.valuesAt(m, "pulse_"));
        actual.keySet().removeIf(key -> key.startsWith("pulse_input_events_total"));
        assertSlaBesideEveryAwaitingDimension(config, expected, actual);
        actual.keySet().removeIf(key -> key.startsWith(AwaitingLeadsAggregator.SLA));
        assertSameValues(name, m, expected, actual);
        compared += expected.size();
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

  /** Sends deliveries [from, to); with {@code batch} > 0, that many at a time with a short pause. */
  private static void send(String topic, List<GeneratedHistory.Delivery> deliveries, int from, int to,
      SingleObjectCodec<CrmChange> codec, int batch) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = from; i < to; i++) {
        GeneratedHistory.Delivery delivery = deliveries.get(i);
        byte[] value = delivery.change() != null ? codec.encode(delivery.change()) : delivery.raw();
        producer.send(new ProducerRecord<>(topic, delivery.key().getBytes(StandardCharsets.UTF_8), value));
        if (batch > 0 && (i - from + 1) % batch == 0) {
          producer.flush();
          Thread.sleep(150);
        }
      }
      producer.flush();
    }
  }

  private static void assertInputCounts(GeneratedHistory history, Map<String, Double> page) {
    Map<String, Integer> accepted = new TreeMap<>();
    for (CrmChange change : history.changes()) {
      accepted.merge(change.getEntity().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    accepted.forEach((entity, count) -> assertThat(page.get(counter(entity, "accepted")))
        .as("accepted %s", entity).isEqualTo((double) count));
    history.duplicateDeliveries().forEach((entity, count) -> assertThat(page.get(counter(entity, "duplicate")))
        .as("duplicate %s", entity).isEqualTo((double) count));
    assertThat(page.get(counter("unknown", "invalid"))).isEqualTo((double) history.invalidDeliveries());
    assertThat(page.get(counter("opportunity", "late"))).isEqualTo((double) history.lateChanges().size());
  }

  private static String counter(String entity, String outcome) {
    return series("pulse_input_events_total", "format", "canonical", "entity", entity, "outcome", outcome);
  }

  private static double total(Map<String, Double> page, String metric) {
    return page.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "{"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** The whole KPI topic once the job has stopped adding to it (the sink flushes at checkpoints). */
  private static List<KpiSnapshot> readKpis(String topic) {
    SingleObjectCodec<KpiSnapshot> codec = Codecs.kpiSnapshot();
    List<KpiSnapshot> previous = List.of();
    for (int attempt = 0; attempt < 20; attempt++) {
      List<KpiSnapshot> now = broker.readAll(topic, Duration.ofSeconds(2)).stream()
          .map(r -> codec.decode(r.value())).toList();
      if (!now.isEmpty() && now.size() == previous.size()) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private static void assertSameValues(String seed, long m, Map<String, Double> expected, Map<String, Double> actual) {
    List<String> differences = new ArrayList<>();
    for (String key : new TreeSet<>(union(expected, actual))) {
      Double want = expected.get(key);
      Double got = actual.get(key);
      // Quantiles come from a histogram with 1% relative error; everything else is exact.
      double tolerance = key.startsWith("pulse_sales_cycle_seconds") || key.startsWith("pulse_lead_first_response")
          ? 0.0101 : 1e-6;
      if (want == null || got == null || Math.abs(want - got) > tolerance * Math.max(1.0, Math.abs(want))) {
        differences.add(key + ": model " + want + ", job " + got);
      }
    }
    assertThat(differences).as("history %s, clock %s: job differs from the reference model",
        seed, java.time.Instant.ofEpochMilli(m)).isEmpty();
  }

  private static List<String> union(Map<String, Double> a, Map<String, Double> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }


  private static Map<String, Double> breaches(Map<String, Double> values) {
    Map<String, Double> breaches = new java.util.TreeMap<>(values);
    breaches.keySet().removeIf(key -> !key.startsWith("pulse_lead_response_sla_breaches_total{lead_source=")
        || !key.contains("team=East"));
    return breaches;
  }
}
