package io.pipelinepulse.reference;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.leads.AwaitingLeadsAggregator;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a test of a generated history through the real job does around the job: sends the history
 * to the input topic, reads the KPI and alert topics back, and compares them with the reference model.
 */
public final class HistoryRuns {

  private HistoryRuns() {}

  /** Sends deliveries [from, to); with {@code batch} > 0, that many at a time with a short pause. */
  public static void send(KafkaTestBroker broker, String topic, List<GeneratedHistory.Delivery> deliveries, int from,
      int to, int batch) throws Exception {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
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

  /** Sends the history's late changes (older than the job's clock once the history is in). */
  public static void sendLate(KafkaTestBroker broker, String topic, GeneratedHistory history) throws Exception {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (CrmChange late : history.lateChanges()) {
        producer.send(new ProducerRecord<>(topic, late.getRecordId().getBytes(StandardCharsets.UTF_8),
            codec.encode(late)));
      }
    }
  }

  /**
   * Waits until the job at {@code metricsUrl} has counted every delivery of the history and its
   * clock has caught up with the wall clock, sends the late changes, waits until they are counted
   * (as late), checks every input count, and gives the sinks time to flush (at checkpoints).
   * Returns the job's last page.
   */
  public static Map<String, Double> completeHistory(KafkaTestBroker broker, String input, String metricsUrl,
      GeneratedHistory history) throws Exception {
    int delivered = history.deliveries().size();
    MetricsPage.awaitPage(metricsUrl, Duration.ofSeconds(180),
        page -> total(page, "pulse_input_events_total") == delivered
            && page.getOrDefault("pulse_clock_lag_seconds{}", Double.MAX_VALUE) < 120);
    sendLate(broker, input, history);
    Map<String, Double> page = MetricsPage.awaitPage(metricsUrl, Duration.ofSeconds(60),
        p -> total(p, "pulse_input_events_total") == delivered + history.lateChanges().size());
    assertInputCounts(history, page);
    Thread.sleep(3000);
    return page;
  }

  public static void assertInputCounts(GeneratedHistory history, Map<String, Double> page) {
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

  /** The sum of every series of {@code metric} on a scraped page. */
  public static double total(Map<String, Double> page, String metric) {
    return page.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "{"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** The whole KPI topic once the job has stopped adding to it (the sink flushes at checkpoints). */
  public static List<KpiSnapshot> readKpis(KafkaTestBroker broker, String topic) {
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

  /**
   * The per-record alerts open at clock point {@code m} by the alerts topic, by alert name: those
   * that opened before m and had not resolved by then (the model's view of a point of the clock).
   */
  public static Map<String, Set<String>> openAlertsAt(List<AlertEvent> events, long m) {
    Map<String, AlertEvent> opened = new HashMap<>();
    Map<String, Long> resolvedAt = new HashMap<>();
    for (AlertEvent event : events) {
      String identity = event.getAlertName() + new TreeMap<>(event.getLabels());
      if (event.getStatus() == AlertStatus.FIRING) {
        if (event.getStartsAt() <= m - 1) {
          opened.put(identity, event);
          resolvedAt.remove(identity);
        }
      } else if (event.getEndsAt() != null && event.getEndsAt() <= m - 1) {
        resolvedAt.put(identity, event.getEndsAt());
      }
    }
    Map<String, Set<String>> open = new TreeMap<>();
    opened.forEach((identity, event) -> {
      if (!resolvedAt.containsKey(identity)) {
        String record = event.getLabels().getOrDefault("deal_id", event.getLabels().get("lead_id"));
        open.computeIfAbsent(event.getAlertName(), name -> new TreeSet<>()).add(alertedRecord(record,
            event.getLabels().get("owner_id"), event.getLabels().get("team")));
      }
    });
    return open;
  }

  /** An open per-record alert as the tests compare them: the record, its owner and its team. */
  static String alertedRecord(String recordId, String ownerId, String team) {
    return recordId + " owner=" + (ownerId == null ? "" : ownerId) + " team=" + team;
  }

  /**
   * Points of the clock to compare at: every 11 h 20 min from a day after {@code start}, the first
   * 10 minutes after the history's last change, and {@code lastPoint}.
   */
  public static List<Long> pointsOfTheClock(long start, GeneratedHistory history, long lastPoint) {
    long day = Duration.ofDays(1).toMillis();
    long tenMinutes = Duration.ofMinutes(10).toMillis();
    List<Long> points = new ArrayList<>();
    for (long m = start + day; m < history.lastCommitTime() + day; m += Duration.ofMinutes(11 * 60 + 20).toMillis()) {
      points.add(m);
    }
    points.add(history.lastCommitTime() - history.lastCommitTime() % tenMinutes + tenMinutes);
    points.add(lastPoint);
    return points;
  }

  /**
   * Asserts that the KPI topic's values at clock point {@code m} are the model's (input counters
   * aside); returns how many series it compared.
   */
  public static int assertKpisAt(PulseConfig config, ReferenceModel model, KpiTimeline timeline, long m,
      String name) {
    Map<String, Double> expected = model.valuesAt(m);
    Map<String, Double> actual = ReferenceModel.withoutZeroCounts(timeline.valuesAt(m, "pulse_"));
    actual.keySet().removeIf(key -> key.startsWith("pulse_input_events_total"));
    assertSlaBesideEveryAwaitingDimension(config, expected, actual);
    actual.keySet().removeIf(key -> key.startsWith(AwaitingLeadsAggregator.SLA));
    assertSameValues(name, m, expected, actual);
    return expected.size();
  }

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

  public static void assertSameValues(String seed, long m, Map<String, Double> expected,
      Map<String, Double> actual) {
    List<String> differences = new ArrayList<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
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
}
