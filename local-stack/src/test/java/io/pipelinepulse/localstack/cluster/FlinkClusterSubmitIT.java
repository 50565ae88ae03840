package io.pipelinepulse.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.localstack.testing.KafkaBroker;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Run it on a Flink cluster": the shaded job jar ({@code streaming-jobs-*-flink-job.jar},
 * Flink not included) runs on a real standalone session cluster — a JobManager and a TaskManager
 * in their own JVMs, with only Flink's jars on their classpath — submitted the way
 * {@code flink run jar --config pulse.yaml} submits it (jar upload and run through the JobManager's
 * REST API), with the same Pipeline Pulse configuration file; its KPIs show at the Prometheus
 * endpoint the task manager serves, exact to the changes sent; it cancels cleanly.
 */
@ExtendWith(KafkaBroker.class)
class FlinkClusterSubmitIT {

  private static final String INPUT = "crm.changes";
  private static final long MINUTE = 60_000L;
  private static final String OPEN_DEALS = "pulse_open_deals{pipeline=\"default\",stage=\"Prospecting\",team=\"East\"}";
  private static final String OPEN_AMOUNT =
      "pulse_open_pipeline_amount{pipeline=\"default\",stage=\"Prospecting\",team=\"East\"}";
  private static final String OPPORTUNITIES_ACCEPTED =
      "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"accepted\"}";
  private static final String USERS_ACCEPTED =
      "pulse_input_events_total{entity=\"user\",format=\"canonical\",outcome=\"accepted\"}";

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path JOB_JAR = ROOT.resolve("streaming-jobs/target/streaming-jobs-0.1.0-SNAPSHOT-flink-job.jar");
  private static final Path LIB = ROOT.resolve("local-stack/target/lib");

  private static final int FLINK_METRICS_PORTS = 10;

  private static Path runDir;
  private static int flinkMetricsPorts;
  private static StandaloneFlinkCluster cluster;

  @BeforeAll
  static void startClusterAndTopics() throws Exception {
    assertThat(JOB_JAR).as("the shaded job jar (mvn package builds it)").isRegularFile();
    assertThat(LIB).as("the cluster's jars (mvn package copies them)").isDirectory();
    Path target = Files.createDirectories(ROOT.resolve("local-stack/target/flink-cluster-it"));
    runDir = Files.createTempDirectory(target, "run-");

    KafkaBroker.createTopic(INPUT, 4);
    KafkaBroker.createTopic("pulse.kpi", 1);
    KafkaBroker.createTopic("pulse.alerts", 1);
    KafkaBroker.createTopic("pulse.dead-letter", 1);
    // every topic exists beforehand: the job runs with the default kafka.create-topics: false
    KafkaBroker.createTopic("pulse.reconciliation", 1);

    // Flink's own metrics through the job jar's reporter, installed as the README says
    flinkMetricsPorts = StandaloneFlinkCluster.freePort();
    cluster = StandaloneFlinkCluster.start(LIB, runDir.resolve("flink"), Duration.ofSeconds(60), List.of(
        "metrics.reporter.pulse.factory.class: io.pipelinepulse.flinkmetrics.FlinkMetricsReporterFactory",
        "metrics.reporter.pulse.host: 127.0.0.1",
        "metrics.reporter.pulse.port: " + flinkMetricsPorts + "-" + (flinkMetricsPorts + FLINK_METRICS_PORTS - 1)),
        Map.of("pulse-metrics", JOB_JAR));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shadedJobJarRunsOnAStandaloneSessionClusterWithTheSameConfigFile() throws Throwable {
    try {
      // The job's classes and its connector can only come from the uploaded jar.
      assertThat(cluster.classpathContains("io/pipelinepulse/PipelinePulseJob.class")).isFalse();
      assertThat(cluster.classpathContains("org/apache/flink/connector/kafka/source/KafkaSource.class")).isFalse();
      assertThat(cluster.classpathContains("org/apache/kafka/clients/consumer/KafkaConsumer.class")).isFalse();
      assertThat(cluster.classpathContains("org/apache/flink/runtime/webmonitor/handlers/JarUploadHandler.class"))
          .as("flink-runtime-web, for jar upload").isTrue();

      // The history is on the topic before the job starts: the job's "now" follows the wall
      // clock once its input has been idle for clock.idle-timeout, and would find changes of two
      // hours ago late if they arrived after that.
      produceHistory();

      int metricsPort = StandaloneFlinkCluster.freePort();
      Path config = writePulseConfig(metricsPort);

      String jarId = cluster.uploadJar(JOB_JAR);
      String jobId = cluster.runJar(jarId, List.of("--config", config.toString()));
      assertThat(jobId).matches("[0-9a-f]{32}");
      cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));

      Map<String, Double> page = awaitMetrics("http://127.0.0.1:" + metricsPort + "/metrics", Duration.ofSeconds(120),
          jobId);
      assertThat(page).containsEntry(OPEN_DEALS, 2.0);
      assertThat(page).containsEntry(OPEN_AMOUNT, 350.0);
      assertThat(page).containsEntry(OPPORTUNITIES_ACCEPTED, 2.0);
      assertThat(page).containsEntry(USERS_ACCEPTED, 1.0);

      assertFlinkMetricsServedByThePluginReporter(jobId);

      cluster.cancelJob(jobId);
      cluster.awaitJobState(jobId, "CANCELED", Duration.ofSeconds(30));
      assertThat(cluster.get("/overview").path("jobs-cancelled").asInt()).isEqualTo(1);
    } catch (Throwable failure) {
      System.out.println("FlinkClusterSubmitIT failed; the cluster's logs (" + cluster.logDir() + "):");
      cluster.dumpLogs(System.out);
      throw failure;
    }
  }

  /**
   * The JobManager and the TaskManager each serve Flink's metrics on a port of the configured
   * range: the job's checkpoints from the one, its Kafka source's backlog from the other.
   */
  private static void assertFlinkMetricsServedByThePluginReporter(String jobId) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Map<String, Double> all = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      all.clear();
      for (int port = flinkMetricsPorts; port < flinkMetricsPorts + FLINK_METRICS_PORTS; port++) {
        try {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            all.putAll(parse(response.body()));
          }
        } catch (IOException nobodyOnThisPort) {
          // only two ports of the range are taken
        }
      }
      boolean checkpointed = all.entrySet().stream().anyMatch(e -> e.getKey().startsWith(
          "flink_jobmanager_job_numberOfCompletedCheckpoints{") && e.getKey().contains(jobId) && e.getValue() >= 1);
      boolean sourceBacklog = all.keySet().stream()
          .anyMatch(k -> k.startsWith("flink_taskmanager_job_task_operator_pendingRecords{") && k.contains(jobId));
      if (checkpointed && sourceBacklog) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Flink's metrics of job " + jobId + " not served on ports " + flinkMetricsPorts + "-"
        + (flinkMetricsPorts + FLINK_METRICS_PORTS - 1) + "; series seen: "
        + all.keySet().stream().map(k -> k.replaceAll("\\{.*", "")).distinct().toList());
  }

  /** Two opportunities in Prospecting (100.0 and 250.0) owned by u-1, and u-1 created in team East. */
  private static void produceHistory() throws Exception {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    long t0 = (System.currentTimeMillis() / MINUTE) * MINUTE - 120 * MINUTE;
    List<CrmChange> changes = List.of(
        change(Entity.USER, "u-1", t0 - MINUTE, "team", "East", "name", "Una One"),
        change(Entity.OPPORTUNITY, "O-1", t0, "stage", "Prospecting", "amount", 100.0, "ownerId", "u-1"),
        change(Entity.OPPORTUNITY, "O-2", t0 + MINUTE, "stage", "Prospecting", "amount", 250.0, "ownerId", "u-1"));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (CrmChange c : changes) {
        producer.send(new ProducerRecord<>(INPUT, c.getRecordId().getBytes(StandardCharsets.UTF_8), codec.encode(c)))
            .get();
      }
    }
  }

  private static CrmChange change(Entity entity, String id, long commitTime, Object... fields) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      values.put((String) fields[i], fields[i + 1]);
    }
    return CrmChange.newBuilder()
        .setEventId("cluster-it-" + id + "-" + commitTime)
        .setOrigin("cluster-it")
        .setEntity(entity)
        .setRecordId(id)
        .setChangeType(ChangeType.CREATE)
        .setCommitTime(commitTime)
        .setSequence(0)
        .setFields(values)
        .build();
  }

  /** The Pipeline Pulse configuration file, as a user would pass it to {@code flink run ... --config}. */
  private static Path writePulseConfig(int metricsPort) throws IOException {
    Path file = runDir.resolve("pulse.yaml");
    Files.writeString(file, String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + KafkaBroker.bootstrapServers(),
        "  group-id: pulse-cluster-it",
        "  starting-offsets: earliest",
        "clock:",
        "  idle-timeout: 2s",
        "  backlog-idle-timeout: 3s",
        "job:",
        "  parallelism: 2",
        "  checkpoint-interval: 2s",
        "metrics:",
        "  host: 127.0.0.1",
        "  port: " + metricsPort,
        ""), StandardCharsets.UTF_8);
    return file;
  }

  private static Map<String, Double> awaitMetrics(String url, Duration timeout, String jobId) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Double> page = Map.of();
    String state = "";
    while (System.nanoTime() < deadline) {
      cluster.assertAlive();
      state = cluster.jobState(jobId);
      if (!state.equals("RUNNING")) {
        break;
      }
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          page = parse(response.body());
          if (Double.valueOf(2.0).equals(page.get(OPEN_DEALS)) && Double.valueOf(350.0).equals(page.get(OPEN_AMOUNT))
              && Double.valueOf(2.0).equals(page.get(OPPORTUNITIES_ACCEPTED))
              && Double.valueOf(1.0).equals(page.get(USERS_ACCEPTED))) {
            return page;
          }
        }
      } catch (IOException notUpYet) {
        // the endpoint starts with the job's prometheus-endpoint operator
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the job (" + state + ") did not publish the expected KPIs at " + url + " in " + timeout
        + "; last page: " + page + "; job exceptions: " + cluster.get("/jobs/" + jobId + "/exceptions"));
  }

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** A Prometheus text page as {@code name{label="value",...}} (labels in name order) → value. */
  static Map<String, Double> parse(String body) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : body.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher label = LABEL.matcher(m.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      StringBuilder key = new StringBuilder(m.group(1));
      if (!labels.isEmpty()) {
        key.append('{');
        labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        key.append('}');
      }
      samples.put(key.toString(), Double.parseDouble(m.group(4)));
    }
    return samples;
  }
}
