package io.pipelinepulse;

import static io.pipelinepulse.testing.MetricsPage.series;

import io.pipelinepulse.testing.InputTopicJobTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debezium topics (one per table, as Debezium writes them) through the whole job: rows created,
 * updated and deleted move the KPIs; a redelivered event counts once; a tombstone is no change;
 * a table the configuration does not map is dead-lettered.
 */
class DebeziumInputEndToEndTest extends InputTopicJobTest {

  private static final String USERS = "crm.public.users";
  private static final String OPPORTUNITIES = "crm.public.opportunities";

  @BeforeAll
  static void createTopics() throws Exception {
    broker.createTopic(USERS, 1);
    broker.createTopic(OPPORTUNITIES, 2);
  }

  /** A Debezium envelope without the schema; {@code before} and {@code after} as JSON text or null. */
  private static String envelope(String table, String op, String before, String after, long commitTime, long lsn) {
    return "{\"before\": " + before + ", \"after\": " + after + ", \"op\": \"" + op + "\", \"ts_ms\": " + (commitTime + 80)
        + ", \"source\": {\"connector\": \"postgresql\", \"db\": \"crm\", \"schema\": \"public\", \"table\": \""
        + table + "\", \"ts_ms\": " + commitTime + ", \"lsn\": " + lsn + "}}";
  }

  @Test
  void rowChangesCapturedByDebeziumMoveTheKpis() throws Exception {
    long t0 = historyStart();
    String opp1 = "{\"id\": \"opp-1\", \"stage\": \"Prospecting\", \"amount\": \"1500.00\", \"currency\": \"USD\","
        + " \"probability\": 10, \"owner_id\": \"u-7\", \"close_date\": 20543}";
    String opp1Moved = opp1.replace("Prospecting", "Qualification").replace("\"probability\": 10", "\"probability\": 20");
    String opp2 = "{\"id\": \"opp-2\", \"stage\": \"Qualification\", \"amount\": 500, \"currency\": \"USD\", \"owner_id\": \"u-7\"}";
    String update = envelope("opportunities", "u", opp1, opp1Moved, t0 + 10 * MINUTE, 300);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      send(producer, USERS, "u-7", envelope("users", "r", "null",
          "{\"id\": \"u-7\", \"team\": \"East\", \"is_active\": true, \"name\": \"Eve East\"}", t0 - 2 * MINUTE, 100));
      send(producer, OPPORTUNITIES, "opp-1", envelope("opportunities", "c", "null", opp1, t0, 200));
      send(producer, OPPORTUNITIES, "opp-2", envelope("opportunities", "c", "null", opp2, t0 + MINUTE, 210));
      send(producer, OPPORTUNITIES, "opp-1", update);
      send(producer, OPPORTUNITIES, "opp-1", update);
      send(producer, OPPORTUNITIES, "opp-2", envelope("opportunities", "d", opp2, "null", t0 + 20 * MINUTE, 400));
      send(producer, OPPORTUNITIES, "opp-2", null);
      send(producer, OPPORTUNITIES, "acc-1", envelope("accounts", "c", "null", "{\"id\": \"acc-1\"}", t0 + 21 * MINUTE, 410));
      producer.flush();
    }

    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put(series("pulse_open_deals", "pipeline", "default", "stage", "Qualification", "team", "East"), 1.0);
    expected.put(series("pulse_open_pipeline_amount", "pipeline", "default", "stage", "Qualification", "team", "East"), 1500.0);
    expected.put(series("pulse_weighted_pipeline_amount", "pipeline", "default", "stage", "Qualification", "team", "East"), 300.0);
    expected.put(series("pulse_stage_exits", "pipeline", "default", "stage", "Prospecting", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_stage_advances", "pipeline", "default", "stage", "Prospecting", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_stage_exits", "pipeline", "default", "stage", "Qualification", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_stage_advances", "pipeline", "default", "stage", "Qualification", "team", "East", "window", "1d"), 0.0);
    expected.put(input("opportunity", "accepted"), 4.0);
    expected.put(input("opportunity", "duplicate"), 1.0);
    expected.put(input("user", "accepted"), 1.0);
    expected.put(input("unknown", "invalid"), 1.0);
    runUntil(expected, String.join("\n",
        "kafka:",
        "  inputs:",
        "    - {topic: " + USERS + ", format: debezium}",
        "    - {topic: " + OPPORTUNITIES + ", format: debezium}",
        ""));
  }

  private static String input(String entity, String outcome) {
    return input("debezium", entity, outcome);
  }
}
