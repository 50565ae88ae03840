package io.pipelinepulse;

import static io.pipelinepulse.testing.Changes.opportunity;
import static io.pipelinepulse.testing.Changes.user;
import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A small hand-computed history through the whole job on a real broker and a MiniCluster at
 * parallelism 2, checked at the Prometheus endpoint and on the KPI topic; bad input is
 * dead-lettered with its reason and origin while good input after it is still processed;
 * redelivered changes count once.
 */
class EndToEndScenarioTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static final String INPUT = "crm.changes";
  private static final long MINUTE = 60_000L;

  private static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
    broker.createTopic(INPUT, 4);
    broker.createTopic("pulse.kpi", 2);
    broker.createTopic("pulse.dead-letter", 2);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void handComputedScenarioGivesExactKpisAtEndpointAndOnKpiTopic() throws Exception {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    long t0 = (System.currentTimeMillis() / MINUTE) * MINUTE - 180 * MINUTE;
    CrmChange d5Create = opportunity("D5", ChangeType.CREATE, t0 + 3 * MINUTE,
        "stage", "Qualification", "amount", 700.0, "probability", 10.0, "ownerId", "u-east");
    List<CrmChange> history = List.of(
        user("u-west", ChangeType.CREATE, t0 - MINUTE, "team", "West", "name", "Wes West"),
        opportunity("D1", ChangeType.CREATE, t0,
            "stage", "Prospecting", "amount", 1000.0, "probability", 10.0, "ownerId", "u-east"),
        opportunity("D2", ChangeType.CREATE, t0 + MINUTE,
            "stage", "Prospecting", "amount", 2000.0, "currency", "EUR", "ownerId", "u-east"),
        opportunity("D3", ChangeType.CREATE, t0 + 2 * MINUTE,
            "stage", "Qualification", "amount", 500.0, "ownerId", "u-west"),
        d5Create,
        opportunity("D4", ChangeType.CREATE, t0 + 5 * MINUTE,
            "stage", "Needs Analysis", "amount", 300.0, "probability", 20.0, "ownerId", "u-west"),
        opportunity("D1", ChangeType.UPDATE, t0 + 10 * MINUTE, "stage", "Qualification"),
        opportunity("D3", ChangeType.UPDATE, t0 + 15 * MINUTE, "stage", "Prospecting"),
        opportunity("D1", ChangeType.UPDATE, t0 + 20 * MINUTE, "stage", "Needs Analysis", "probability", 20.0),
        opportunity("D2", ChangeType.UPDATE, t0 + 30 * MINUTE, "stage", "Closed Lost"),
        opportunity("D3", ChangeType.UPDATE, t0 + 40 * MINUTE, "stage", "Closed Won"),
        opportunity("D4", ChangeType.DELETE, t0 + 50 * MINUTE));

    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      // Bad input first, so the good records after it prove the job carried on.
      send(producer, "bad-1", "this is not avro".getBytes(StandardCharsets.UTF_8));
      send(producer, "bad-2", unknownSchemaRecord());
      send(producer, "bad-3", codec.encode(opportunity("", ChangeType.CREATE, t0, "stage", "Prospecting")));
      send(producer, "bad-4", codec.encode(opportunity("D9", ChangeType.CREATE, 0, "stage", "Prospecting")));
      send(producer, "bad-5", codec.encode(opportunity("D9", ChangeType.CREATE, t0, "amount", -5.0)));
      // Out of order within the bound: the job must still apply each deal's changes in commit order.
      List<CrmChange> shuffled = new ArrayList<>(history);
      java.util.Collections.swap(shuffled, 6, 8);
      for (CrmChange change : shuffled) {
        send(producer, change.getRecordId(), codec.encode(change));
      }
      send(producer, "D5", codec.encode(d5Create));
      send(producer, "D5", codec.encode(d5Create));
      producer.flush();
    }

    int port = PulseJobRunner.freePort();
    PulseConfig config = PulseJobRunner.testConfig(broker, port,
        "directory:\n  users:\n    - id: u-east\n      team: East\n");
    JobClient job = PulseJobRunner.start(config);
    try {
      String url = "http://127.0.0.1:" + port + "/metrics";
      Map<String, Double> expected = expectedSeries();
      Map<String, Double> page = MetricsPage.awaitPage(url, Duration.ofSeconds(120),
          p -> expected.entrySet().stream().allMatch(e -> e.getValue().equals(p.get(e.getKey())))
              && p.keySet().stream().noneMatch(k -> k.startsWith("pulse_stage_conversion_ratio")
                  && k.contains("stage=Needs Analysis") && k.contains("team=East"))
              // the history lies hours back: read from a backlog, the clock takes the wall clock
              // once the input has been quiet for clock.backlog-idle-timeout
              && p.getOrDefault("pulse_clock_lag_seconds{}", Double.MAX_VALUE) < 120);
      assertThat(page).containsAllEntriesOf(expected);
      // A ratio with no exits is absent, not 0.
      assertThat(page.keySet()).noneMatch(k -> k.startsWith("pulse_stage_conversion_ratio")
          && k.contains("stage=Negotiation/Review"));
      assertThat(page.get("pulse_clock_lag_seconds{}")).isBetween(55.0, 120.0);

      // Snapshots reach the topic when the sink flushes, at checkpoints: wait for them.
      Map<String, Double> onTopic = latestKpisOnTopic();
      long deadline = System.currentTimeMillis() + 60_000;
      while (!onTopic.keySet().containsAll(expected.keySet()) && System.currentTimeMillis() < deadline) {
        onTopic = latestKpisOnTopic();
      }
      for (Map.Entry<String, Double> e : expected.entrySet()) {
        if (!e.getKey().startsWith("pulse_input_events_total")) {
          assertThat(onTopic.get(e.getKey())).as(e.getKey()).isCloseTo(e.getValue(), within(1e-9));
        }
      }
      assertThat(onTopic.get(series("pulse_input_events_total",
          "format", "canonical", "entity", "opportunity", "outcome", "duplicate"))).isEqualTo(2.0);

      List<DeadLetter> letters = deadLetters();
      assertThat(letters).extracting(DeadLetter::getReason).containsExactlyInAnyOrder(
          "undecodable", "unknown-schema", "missing-record-id", "missing-commit-time", "invalid-value");
      for (DeadLetter letter : letters) {
        assertThat(letter.getTopic()).isEqualTo(INPUT);
        assertThat(letter.getPartition()).isBetween(0, 3);
        assertThat(letter.getOffset()).isGreaterThanOrEqualTo(0L);
        assertThat(letter.getValue()).isNotNull();
        assertThat(letter.getDetail()).isNotBlank();
      }

      // A change older than the job's now arrives: dead-lettered as late, counted, KPIs untouched.
      broker.send(INPUT, "D1".getBytes(StandardCharsets.UTF_8), codec.encode(
          opportunity("D1", ChangeType.UPDATE, t0 + 25 * MINUTE, "stage", "Closed Won")));
      MetricsPage.awaitPage(url, Duration.ofSeconds(60), p -> Double.valueOf(1.0).equals(p.get(series(
          "pulse_input_events_total", "format", "canonical", "entity", "opportunity", "outcome", "late"))));
      assertThat(MetricsPage.scrape(url)).containsAllEntriesOf(expected);
      assertThat(deadLetters()).extracting(DeadLetter::getReason).contains("late");
    } finally {
      job.cancel().get();
    }
  }

  private static Map<String, Double> expectedSeries() {
    Map<String, Double> expected = new HashMap<>();
    exits(expected, "Prospecting", "East", 2, 1);
    exits(expected, "Qualification", "East", 1, 1);
    exits(expected, "Qualification", "West", 1, 0);
    exits(expected, "Prospecting", "West", 1, 1);
    exits(expected, "Needs Analysis", "West", 1, 0);
    open(expected, "Needs Analysis", "East", 1, 1000, 200);
    open(expected, "Qualification", "East", 1, 700, 70);
    open(expected, "Prospecting", "East", 0, 0, 0);
    open(expected, "Prospecting", "West", 0, 0, 0);
    open(expected, "Qualification", "West", 0, 0, 0);
    open(expected, "Needs Analysis", "West", 0, 0, 0);
    String counter = "pulse_input_events_total";
    expected.put(series(counter, "format", "canonical", "entity", "opportunity", "outcome", "accepted"), 11.0);
    expected.put(series(counter, "format", "canonical", "entity", "user", "outcome", "accepted"), 1.0);
    expected.put(series(counter, "format", "canonical", "entity", "opportunity", "outcome", "duplicate"), 2.0);
    expected.put(series(counter, "format", "canonical", "entity", "unknown", "outcome", "invalid"), 5.0);
    // served at zero before any: the first gap event is an increase Prometheus can see
    expected.put(series(counter, "format", "canonical", "entity", "lead", "outcome", "gap"), 0.0);
    return expected;
  }

  private static void exits(Map<String, Double> expected, String stage, String team, int exits, int advances) {
    for (String window : List.of("1d", "7d", "30d")) {
      String[] labels = {"pipeline", "default", "stage", stage, "team", team, "window", window};
      expected.put(series("pulse_stage_exits", labels), (double) exits);
      expected.put(series("pulse_stage_advances", labels), (double) advances);
      expected.put(series("pulse_stage_conversion_ratio", labels), (double) advances / exits);
    }
  }

  private static void open(Map<String, Double> expected, String stage, String team, int count, double amount,
      double weighted) {
    String[] labels = {"pipeline", "default", "stage", stage, "team", team};
    expected.put(series("pulse_open_deals", labels), (double) count);
    expected.put(series("pulse_open_pipeline_amount", labels), amount);
    expected.put(series("pulse_weighted_pipeline_amount", labels), weighted);
  }

  private static Map<String, Double> latestKpisOnTopic() {
    SingleObjectCodec<KpiSnapshot> codec = Codecs.kpiSnapshot();
    Map<String, KpiSnapshot> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : broker.readAll("pulse.kpi", Duration.ofSeconds(3))) {
      KpiSnapshot kpi = codec.decode(record.value());
      String key = kpi.getMetric() + new TreeMap<>(kpi.getLabels());
      KpiSnapshot previous = latest.get(key);
      if (previous == null || previous.getAsOf() <= kpi.getAsOf()) {
        latest.put(key, kpi);
      }
    }
    Map<String, Double> values = new HashMap<>();
    latest.forEach((key, kpi) -> {
      if (kpi.getValue() != null) {
        values.put(key, kpi.getValue());
      }
    });
    return values;
  }

  private static List<DeadLetter> deadLetters() {
    SingleObjectCodec<DeadLetter> codec = Codecs.deadLetter();
    return broker.readAll("pulse.dead-letter", Duration.ofSeconds(2)).stream()
        .map(record -> codec.decode(record.value())).toList();
  }

  /** A single-object header (C3 01) with a fingerprint of no schema the job knows. */
  private static byte[] unknownSchemaRecord() {
    return new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 6};
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(INPUT, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }
}
