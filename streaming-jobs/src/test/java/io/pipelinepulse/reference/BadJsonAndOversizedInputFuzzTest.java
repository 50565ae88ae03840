package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad records of the JSON formats (deep nesting, not JSON, events without an id or a time, times
 * in 2099), HubSpot deliveries in which only some events are bad, and values of 2 MB on a broker
 * that takes them, with valid records of 100 KB texts among them, through the real job on a
 * MiniCluster at parallelism 2: the job never restarts, each bad record or event is dead-lettered
 * exactly once with its reason and an excerpt the dead-letter topic takes, and the good events
 * of a partly bad delivery count as if they had come alone.
 */
class BadJsonAndOversizedInputFuzzTest {

  private static final int FLINK_METRICS_PORT = PulseJobRunner.unusedPort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster(FLINK_METRICS_PORT);

  private static final long MINUTE = 60_000L;
  private static final int PER_KIND = 40;
  private static final long YEAR_2099 = 4_070_908_800_000L;
  private static final int TWO_MB = 2 * 1024 * 1024;

  /** A kind of bad record: its topic and the reasons its dead letters give, one per bad part. */
  enum Bad {
    SALESFORCE_DEEP_JSON("sf.changes", "undecodable"),
    SALESFORCE_NOT_JSON("sf.changes", "undecodable"),
    SALESFORCE_NAME_OF_2_MB("sf.changes", "text-too-long"),
    DEBEZIUM_NO_ENVELOPE("db.changes", "undecodable"),
    DEBEZIUM_COMMIT_IN_2099("db.changes", "future-commit-time"),
    HUBSPOT_PARTLY_BAD_DELIVERY("hs.changes", "missing-commit-time", "missing-record-id"),
    CANONICAL_NAME_OF_2_MB("crm.changes", "undecodable");

    final String topic;
    final List<String> reasons;

    Bad(String topic, String... reasons) {
      this.topic = topic;
      this.reasons = List.of(reasons);
    }
  }

  @Test
  void everyBadRecordOrEventIsDeadLetteredOnceAndTheGoodOnesCount() throws Exception {
    long t0 = (System.currentTimeMillis() / MINUTE) * MINUTE - 120 * MINUTE;
    Random random = new Random(29);
    Map<String, Bad> kinds = new LinkedHashMap<>();
    try (KafkaTestBroker broker = KafkaTestBroker.start(Map.of("message.max.bytes", String.valueOf(8 * TWO_MB)))) {
      for (String topic : List.of("sf.changes", "db.changes", "hs.changes", "crm.changes")) {
        broker.createTopic(topic, 2);
      }
      broker.createTopic("pulse.kpi", 1);
      broker.createTopic("pulse.dead-letter", 1);
      int goodDeals = 0;
      int bigValid = 0;
      try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
        for (int i = 0; i < PER_KIND * Bad.values().length; i++) {
          Bad kind = Bad.values()[i % Bad.values().length];
          String key = "fuzz-" + i;
          kinds.put(key, kind);
          long time = t0 + random.nextInt(60) * MINUTE;
          producer.send(new ProducerRecord<>(kind.topic, bytes(key), badValue(kind, key, time, random)));
          if (kind == Bad.HUBSPOT_PARTLY_BAD_DELIVERY) {
            goodDeals++;
          }
          if (i % 10 == 0) {
            // valid, if large: 100 KB texts are within input.max-text-length
            producer.send(new ProducerRecord<>("crm.changes", bytes("big-" + i),
                Codecs.crmChange().encode(openDeal("big-" + i, time, "y".repeat(100_000)))));
            bigValid++;
          }
        }
        producer.flush();
      }

      int port = PulseJobRunner.freePort();
      PulseConfig config = PulseJobRunner.testConfig(broker, port, String.join("\n",
          "kafka:",
          "  inputs:",
          "    - {topic: crm.changes, format: canonical}",
          "    - {topic: sf.changes, format: salesforce-cdc}",
          "    - {topic: db.changes, format: debezium}",
          "    - {topic: hs.changes, format: hubspot}",
          "directory:",
          "  users:",
          "    - {id: \"88001\", team: East}",
          ""));
      int badParts = kinds.values().stream().mapToInt(kind -> kind.reasons.size()).sum();
      int expectedEvents = badParts + 2 * goodDeals + bigValid;
      String metrics = "http://127.0.0.1:" + port + "/metrics";
      JobClient job = PulseJobRunner.start(config);
      try {
        int hubspotDeals = goodDeals;
        int canonicalDeals = bigValid;
        Map<String, Double> page = MetricsPage.awaitPage(metrics, Duration.ofSeconds(180),
            p -> HistoryRuns.total(p, "pulse_input_events_total") == expectedEvents
                && openDeals(p, "hubspot", "appointmentscheduled") == hubspotDeals
                && openDeals(p, "default", "Prospecting") == canonicalDeals);
        assertThat(openDeals(page, "hubspot", "appointmentscheduled"))
            .as("the good events of partly bad deliveries").isEqualTo(goodDeals);
        assertThat(openDeals(page, "default", "Prospecting")).as("valid changes with 100 KB texts").isEqualTo(bigValid);

        Map<String, List<String>> reasons = new HashMap<>();
        SingleObjectCodec<DeadLetter> codec = Codecs.deadLetter();
        List<ConsumerRecord<byte[], byte[]>> letters = broker.readAll("pulse.dead-letter", Duration.ofSeconds(2));
        for (ConsumerRecord<byte[], byte[]> record : letters) {
          assertThat(record.serializedValueSize()).as("a dead letter fits the topic's default limit")
              .isLessThan(1_000_000);
          DeadLetter letter = codec.decode(record.value());
          String key = StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
          reasons.computeIfAbsent(key, k -> new ArrayList<>()).add(letter.getReason());
          Bad kind = kinds.get(key);
          assertThat(kind).as("dead letter of %s: %s", key, letter.getDetail()).isNotNull();
          assertThat(letter.getTopic()).isEqualTo(kind.topic);
          assertThat(letter.getOperator()).isEqualTo("decode");
          if (kind.name().endsWith("2_MB")) {
            assertThat(letter.getValueSize()).isGreaterThan(TWO_MB);
            assertThat(letter.getValueTruncated()).isTrue();
            assertThat(letter.getValue().remaining()).isEqualTo(65_536);
          }
        }
        for (Map.Entry<String, Bad> bad : kinds.entrySet()) {
          assertThat(reasons.get(bad.getKey())).as("dead letters of %s (%s)", bad.getKey(), bad.getValue())
              .containsExactlyInAnyOrderElementsOf(bad.getValue().reasons);
        }
        assertThat(letters).hasSize(badParts);

        PulseJobRunner.assertNeverRestarted(FLINK_METRICS_PORT);
        Map<String, Double> flink = MetricsPage.scrape("http://127.0.0.1:" + FLINK_METRICS_PORT + "/metrics");
        assertThat(flink.entrySet().stream()
            .filter(e -> e.getKey().startsWith("flink_taskmanager_job_task_operator_recordsHeld{")
                && e.getKey().contains("opportunity-lifecycle"))
            .mapToDouble(Map.Entry::getValue).sum()).as("deals held by the opportunity lifecycle's subtasks")
            .isEqualTo(goodDeals + bigValid);
      } finally {
        job.cancel().get();
      }
    }
  }

  /** The open deals of a pipeline and stage, over every team. */
  private static double openDeals(Map<String, Double> page, String pipeline, String stage) {
    return page.entrySet().stream()
        .filter(e -> e.getKey().startsWith("pulse_open_deals{") && e.getKey().contains("pipeline=" + pipeline + ",")
            && e.getKey().contains("stage=" + stage + ","))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static byte[] badValue(Bad kind, String key, long time, Random random) throws Exception {
    return switch (kind) {
      case SALESFORCE_DEEP_JSON -> ("{\"ChangeEventHeader\": " + "[".repeat(50_000 + random.nextInt(50_000)))
          .getBytes(StandardCharsets.UTF_8);
      case SALESFORCE_NOT_JSON -> {
        byte[] bytes = new byte[1 + random.nextInt(500)];
        random.nextBytes(bytes);
        bytes[0] = '#';
        yield bytes;
      }
      case SALESFORCE_NAME_OF_2_MB -> bytes(salesforceOpportunity(key, time, "z".repeat(TWO_MB + random.nextInt(1000))));
      case DEBEZIUM_NO_ENVELOPE -> bytes("{\"payload\": {\"id\": \"" + key + "\"}, \"schema\": {}}");
      case DEBEZIUM_COMMIT_IN_2099 -> bytes("{\"op\": \"c\", \"before\": null, \"after\": {\"id\": \"" + key
          + "\", \"stage\": \"Prospecting\"}, \"source\": {\"table\": \"opportunities\", \"ts_ms\": " + YEAR_2099
          + ", \"lsn\": " + (1000 + random.nextInt(1_000_000)) + "}}");
      case HUBSPOT_PARTLY_BAD_DELIVERY -> {
        long id = 700_000 + Long.parseLong(key.substring("fuzz-".length()));
        yield bytes("[" + hubspot(id, "deal.creation", time, null, null)
            + ", " + hubspot(id, "deal.propertyChange", 0, "dealstage", "appointmentscheduled").replace(
                ", \"occurredAt\": 0", "")
            + ", " + hubspot(id, "deal.propertyChange", time, "dealstage", "appointmentscheduled")
            + ", " + hubspot(id, "deal.propertyChange", time, "amount", "100").replace("\"objectId\": " + id + ", ", "")
            + "]");
      }
      case CANONICAL_NAME_OF_2_MB -> Codecs.crmChange().encode(openDeal(key, time, "w".repeat(TWO_MB)));
    };
  }

  private static String hubspot(long objectId, String subscription, long occurredAt, String property, String value) {
    return "{\"eventId\": " + (objectId % 1000) + ", \"subscriptionId\": 1, \"portalId\": 62, \"occurredAt\": "
        + occurredAt + ", \"subscriptionType\": \"" + subscription + "\", \"attemptNumber\": 0, \"objectId\": "
        + objectId + (property == null ? "" : ", \"propertyName\": \"" + property + "\", \"propertyValue\": \""
        + value + "\"") + "}";
  }

  /** A Salesforce CDC (Pub/Sub API) opportunity creation. */
  private static String salesforceOpportunity(String key, long time, String name) {
    return "{\"ChangeEventHeader\": {\"entityName\": \"Opportunity\", \"recordIds\": [\"006" + key
        + "\"], \"changeType\": \"CREATE\", \"transactionKey\": \"tx-" + key + "\", \"sequenceNumber\": 1,"
        + " \"commitTimestamp\": " + time + ", \"commitUser\": \"005A\", \"changedFields\": [],"
        + " \"nulledFields\": [], \"diffFields\": []}, \"StageName\": \"Prospecting\", \"Name\": \"" + name + "\"}";
  }

  private static CrmChange openDeal(String key, long time, String name) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.STAGE, "Prospecting");
    fields.put("name", name);
    return CrmChange.newBuilder().setEventId("event-" + key).setOrigin("fuzz").setEntity(Entity.OPPORTUNITY)
        .setRecordId("F-" + key).setChangeType(ChangeType.CREATE).setCommitTime(time).setSequence(0)
        .setFields(fields).build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
