package io.pipelinepulse;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.testing.InputTopicJobTest;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PostgresCluster;
import io.pipelinepulse.testing.PulseJobRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CRM kept in a real PostgreSQL, captured by Debezium (its embedded engine, PostgreSQL connector
 * with pgoutput, the schema embedded) into the broker and read by the job as format debezium:
 * rows there before the capture arrive as a snapshot, then inserting, updating and deleting rows
 * moves the KPIs.
 */
class PostgresDebeziumCaptureTest extends InputTopicJobTest {

  private static final String[] TOPICS = {"crm.public.users", "crm.public.opportunities", "crm.public.leads"};

  @BeforeAll
  static void createTopics() throws Exception {
    for (String topic : TOPICS) {
      broker.createTopic(topic, 2);
    }
  }

  private static Properties capture(PostgresCluster postgres) {
    Properties props = new Properties();
    props.setProperty("name", "pulse-crm-capture");
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "1000");
    props.setProperty("database.hostname", "127.0.0.1");
    props.setProperty("database.port", String.valueOf(postgres.port()));
    props.setProperty("database.user", "postgres");
    props.setProperty("database.password", "");
    props.setProperty("database.dbname", "postgres");
    props.setProperty("topic.prefix", "crm");
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", "pulse_capture");
    props.setProperty("slot.drop.on.stop", "true");
    props.setProperty("publication.name", "pulse_capture");
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("table.include.list", "public.users,public.opportunities,public.leads");
    props.setProperty("snapshot.mode", "initial");
    props.setProperty("converter.schemas.enable", "true");
    return props;
  }

  @Test
  void insertingUpdatingAndDeletingRowsMovesTheKpis() throws Exception {
    ExecutorService capture = Executors.newSingleThreadExecutor();
    try (PostgresCluster postgres = PostgresCluster.start();
        KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      postgres.execute(
          "CREATE TABLE users (id text PRIMARY KEY, team text, manager_id text, email text, is_active boolean, name text)",
          "CREATE TABLE opportunities (id text PRIMARY KEY, stage text, pipeline text, amount numeric(12,2),"
              + " currency text, close_date date, probability double precision, owner_id text, lead_source text,"
              + " name text)",
          "CREATE TABLE leads (id text PRIMARY KEY, status text, owner_id text, lead_source text,"
              + " is_converted boolean, converted_opportunity_id text, name text)",
          // before-images on updates and deletes: only the columns that changed become the change
          "ALTER TABLE users REPLICA IDENTITY FULL",
          "ALTER TABLE opportunities REPLICA IDENTITY FULL",
          "ALTER TABLE leads REPLICA IDENTITY FULL",
          "INSERT INTO users VALUES ('u-1', 'East', NULL, 'eve@example.com', true, 'Eve East')",
          "INSERT INTO opportunities VALUES ('o-1', 'Prospecting', NULL, 1000.00, 'USD', DATE '2027-03-31', 10,"
              + " 'u-1', 'Web', 'Acme')");

      DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
          .using(capture(postgres))
          .notifying(event -> producer.send(new ProducerRecord<>(event.destination(),
              event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8),
              event.value() == null ? null : event.value().getBytes(StandardCharsets.UTF_8))))
          .build();
      capture.execute(engine);
      try {
        int port = PulseJobRunner.freePort();
        PulseConfig config = PulseJobRunner.testConfig(broker, port, "kafka:\n  inputs:\n"
            + "    - {topic: crm.public.users, format: debezium}\n"
            + "    - {topic: crm.public.opportunities, format: debezium}\n"
            + "    - {topic: crm.public.leads, format: debezium}\n",
            // a local database's commits arrive in order within moments: a short bound keeps the test short
            "clock:\n  out-of-orderness: 5s\n");
        JobClient job = PulseJobRunner.start(config);
        try {
          String url = "http://127.0.0.1:" + port + "/metrics";
          Map<String, Double> snapshot = new LinkedHashMap<>();
          snapshot.put(series("pulse_open_deals", "pipeline", "default", "stage", "Prospecting", "team", "East"), 1.0);
          snapshot.put(series("pulse_open_pipeline_amount", "pipeline", "default", "stage", "Prospecting", "team", "East"),
              1000.0);
          snapshot.put(series("pulse_weighted_pipeline_amount", "pipeline", "default", "stage", "Prospecting", "team",
              "East"), 100.0);
          snapshot.put(input("debezium", "user", "accepted"), 1.0);
          await(url, snapshot);

          postgres.execute(
              "UPDATE opportunities SET stage = 'Qualification', probability = 20 WHERE id = 'o-1'",
              "INSERT INTO opportunities VALUES ('o-2', 'Needs Analysis', NULL, 250.50, 'USD', NULL, NULL, 'u-1',"
                  + " 'Partner', 'Globex')",
              "INSERT INTO leads VALUES ('l-1', 'Open - Not Contacted', 'u-1', 'Web', false, NULL, 'Lee')");
          Map<String, Double> moved = new LinkedHashMap<>();
          moved.put(series("pulse_open_deals", "pipeline", "default", "stage", "Prospecting", "team", "East"), 0.0);
          moved.put(series("pulse_open_deals", "pipeline", "default", "stage", "Qualification", "team", "East"), 1.0);
          moved.put(series("pulse_weighted_pipeline_amount", "pipeline", "default", "stage", "Qualification", "team",
              "East"), 200.0);
          moved.put(series("pulse_open_pipeline_amount", "pipeline", "default", "stage", "Needs Analysis", "team", "East"),
              250.5);
          moved.put(series("pulse_stage_advances", "pipeline", "default", "stage", "Prospecting", "team", "East",
              "window", "1d"), 1.0);
          moved.put(series("pulse_leads_awaiting_response", "team", "East", "lead_source", "Web"), 1.0);
          await(url, moved);

          postgres.execute(
              "UPDATE leads SET status = 'Working - Contacted' WHERE id = 'l-1'",
              "DELETE FROM opportunities WHERE id = 'o-2'");
          Map<String, Double> after = new LinkedHashMap<>();
          after.put(series("pulse_open_deals", "pipeline", "default", "stage", "Needs Analysis", "team", "East"), 0.0);
          after.put(series("pulse_leads_awaiting_response", "team", "East", "lead_source", "Web"), 0.0);
          after.put(series("pulse_leads_responded", "team", "East", "lead_source", "Web", "window", "1d"), 1.0);
          after.put(input("debezium", "opportunity", "accepted"), 4.0);
          after.put(input("debezium", "lead", "accepted"), 2.0);
          after.put(input("debezium", "unknown", "invalid"), 0.0);
          await(url, after);
        } finally {
          job.cancel().get();
        }
      } finally {
        engine.close();
        capture.shutdown();
        assertThat(capture.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  /**
   * Waits for the values: a windowed KPI counts a live change once the job's clock has passed the
   * end of the change's minute.
   */
  private static void await(String url, Map<String, Double> expected) throws Exception {
    Map<String, Double> page = MetricsPage.awaitPage(url, Duration.ofSeconds(200),
        p -> expected.entrySet().stream().allMatch(e -> e.getValue().equals(p.get(e.getKey()))));
    assertThat(page).containsAllEntriesOf(expected);
  }
}
