package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.PipelinePulseJob;
import io.pipelinepulse.PulseTopology;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real job (PipelinePulseJob.configure + PulseTopology.attach) on a local MiniCluster in this
 * JVM, reading one topic from the start, with its Prometheus endpoint on a free port.
 */
final class JobRun implements AutoCloseable {

  static final String INPUT_EVENTS = "pulse_input_events_total";
  static final String OPEN_DEALS = "pulse_open_deals";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobClient client;
  private final MetricsEndpoint metrics;
  private final long submittedNanos;
  private final int restPort;

  private JobRun(JobClient client, MetricsEndpoint metrics, long submittedNanos, int restPort) {
    this.client = client;
    this.metrics = metrics;
    this.submittedNanos = submittedNanos;
    this.restPort = restPort;
  }

  /**
   * @param extraYaml further configuration: YAML of other top-level keys than the base (kafka, job, metrics)
   */
  static JobRun start(String bootstrapServers, String topic, int parallelism, Path checkpoints, String... extraYaml)
      throws Exception {
    int metricsPort = FreePorts.next();
    String base = String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + bootstrapServers,
        "  group-id: pulse-bench-" + topic + "-" + System.nanoTime(),
        "  starting-offsets: earliest",
        "  create-topics: true",
        "  inputs:",
        "    - topic: " + topic,
        "      format: canonical",
        "job:",
        "  parallelism: " + parallelism,
        "metrics:",
        "  host: 127.0.0.1",
        "  port: " + metricsPort,
        "");
    // One document (the extra parts hold other top-level keys), so it reads with every version of fromYaml.
    PulseConfig config = PulseConfigLoader.fromYaml(base + String.join("\n", extraYaml));

    Configuration flink = new Configuration();
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(RestOptions.ADDRESS, "127.0.0.1");
    // A known port, so that a failure's cause can be read from Flink's REST API.
    int restPort = FreePorts.next();
    flink.set(RestOptions.BIND_PORT, String.valueOf(restPort));
    flink.set(RestOptions.PORT, restPort);
    flink.setString("jobmanager.bind-host", "127.0.0.1");
    flink.setString("taskmanager.bind-host", "127.0.0.1");
    flink.setString("taskmanager.host", "127.0.0.1");
    flink.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
    // The heap state backend (Flink's default, named so the figures say what they measure), with
    // checkpoints written to a local folder as a deployment would (the JobManager's in-memory
    // checkpoint storage refuses state over 5 MB per task).
    flink.setString("state.backend.type", "hashmap");
    // Operator gauges read through REST (recordsHeld) as they are within a second, not ten.
    flink.setString("metrics.fetcher.update-interval", "1000");
    flink.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
    PipelinePulseJob.configure(env, config);
    PulseTopology.attach(env, config, System::currentTimeMillis);
    long submitted = System.nanoTime();
    JobClient client = env.executeAsync("pipeline-pulse-bench-" + topic);
    return new JobRun(client, new MetricsEndpoint(config.metrics().host(), config.metrics().port()), submitted,
        restPort);
  }

  long submittedNanos() {
    return submittedNanos;
  }

  MetricsEndpoint metrics() {
    return metrics;
  }

  /** The endpoint's page, or null while it is not up yet. Fails when the job has failed. */
  String pageOrNull() throws Exception {
    checkRunning();
    try {
      return metrics.page();
    } catch (IOException notYetUp) {
      return null;
    }
  }

  private long lastStatusCheck;

  /** Fails when the job has left RUNNING; asks Flink at most once a second. */
  void checkRunning() throws Exception {
    long now = System.nanoTime();
    if (now - lastStatusCheck < 1_000_000_000L) {
      return;
    }
    lastStatusCheck = now;
    JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
    if (status.isGloballyTerminalState() || status == JobStatus.FAILING || status == JobStatus.RESTARTING) {
      throw new JobRestartedException(status.name(), failureCause());
    }
  }

  /** The newest failure of the job in Flink's exception history: its exception's first line, or "". */
  String failureCause() {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + restPort + "/jobs/" + client.getJobID() + "/exceptions?maxExceptions=1"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode history = JSON.readTree(response.body()).path("exceptionHistory").path("entries");
      String trace = history.isArray() && history.size() > 0 ? history.get(0).path("stacktrace").asText("") : "";
      return firstLine(trace);
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** A completed checkpoint's id, its full state size and that size by task, in bytes. */
  record CheckpointState(long id, long bytes, java.util.Map<String, Long> byTask) {}

  /** The newest completed checkpoint's state, or null when there is none yet (or REST cannot tell). */
  CheckpointState lastCheckpoint() {
    try {
      String job = "/jobs/" + client.getJobID();
      JsonNode completed = rest(job + "/checkpoints").path("latest").path("completed");
      if (!completed.has("id")) {
        return null;
      }
      long id = completed.get("id").asLong();
      java.util.Map<String, String> names = new java.util.HashMap<>();
      for (JsonNode vertex : rest(job).path("vertices")) {
        names.put(vertex.path("id").asText(), vertex.path("name").asText());
      }
      java.util.Map<String, Long> byTask = new java.util.TreeMap<>();
      rest(job + "/checkpoints/details/" + id).path("tasks").fields().forEachRemaining(task -> byTask.merge(
          names.getOrDefault(task.getKey(), task.getKey()), task.getValue().path("state_size").asLong(), Long::sum));
      return new CheckpointState(id, completed.path("state_size").asLong(), byTask);
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The records (deals, leads) each lifecycle holds now, by task: the sum over its subtasks of
   * the operator gauge {@code recordsHeld}; empty when REST cannot tell.
   */
  java.util.Map<String, Long> recordsHeld() {
    java.util.Map<String, Long> held = new java.util.TreeMap<>();
    try {
      String job = "/jobs/" + client.getJobID();
      for (JsonNode vertex : rest(job).path("vertices")) {
        String base = job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
        for (JsonNode metric : rest(base)) {
          String id = metric.path("id").asText();
          if (id.endsWith(".recordsHeld")) {
            for (JsonNode value : rest(base + "?agg=sum&get=" + java.net.URLEncoder.encode(id,
                java.nio.charset.StandardCharsets.UTF_8))) {
              held.merge(id.substring(0, id.length() - ".recordsHeld".length()),
                  Math.round(value.path("sum").asDouble()), Long::sum);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return java.util.Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Map.of();
    }
    return held;
  }

  private JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + restPort + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** The first line of a stack trace, with the innermost "Caused by:" when there is one. */
  static String firstLine(String trace) {
    String[] lines = trace.split("\\R");
    String first = lines.length == 0 ? "" : lines[0].trim();
    String root = "";
    for (String line : lines) {
      if (line.startsWith("Caused by: ")) {
        root = line.substring("Caused by: ".length()).trim();
      }
    }
    return root.isEmpty() || root.equals(first) ? first : first + " (root cause: " + root + ")";
  }

  /** Scrapes until the sum of {@code metric} satisfies {@code done}; returns that sum. */
  double awaitSum(String metric, DoublePredicate done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    double last = 0;
    while (System.nanoTime() < deadline) {
      String page = pageOrNull();
      if (page != null) {
        last = MetricsEndpoint.sum(page, metric);
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(BackfillBenchMain.POLL_MILLIS);
    }
    throw new IllegalStateException(metric + " did not reach the expected value within " + timeout.toSeconds()
        + " s (last sum " + last + ")");
  }

  /** Cancels the job and waits until its MiniCluster has gone. */
  @Override
  public void close() throws Exception {
    try {
      JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
      if (!status.isGloballyTerminalState()) {
        client.cancel().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception alreadyGone) {
      // the job ended (and its cluster with it) before we asked
    }
    try {
      client.getJobExecutionResult().get(60, TimeUnit.SECONDS);
    } catch (Exception cancelled) {
      // a cancelled job ends exceptionally
    }
  }
}
