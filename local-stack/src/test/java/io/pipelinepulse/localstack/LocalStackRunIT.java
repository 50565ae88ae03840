package io.pipelinepulse.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one command, as a user runs it: {@code local-stack/run} brings up the broker, the
 * job, Prometheus and the simulator; Prometheus then holds live {@code pulse_*} series; Ctrl-C
 * (SIGINT) stops every process it started; started again on the same data, the job replays the
 * kept topic. Run on free ports, so it passes beside a running stack.
 */
class LocalStackRunIT {

  private static final List<String> EXPECTED_SERIES = List.of(
      "pulse_open_deals", "pulse_open_pipeline_amount", "pulse_stage_exits", "pulse_stage_advances",
      "pulse_stage_conversion_ratio", "pulse_input_events_total", "pulse_clock_lag_seconds");

  // The controller's address is written into the broker's storage when it is formatted, so a
  // restart on the same data must use the same ports.
  private static final int KAFKA_PORT = freePortUnchecked();
  private static final int CONTROLLER_PORT = freePortUnchecked();

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void oneCommandShowsLivePulseSeriesInPrometheusStopsOnCtrlCAndKeepsItsData(@TempDir Path data) throws Exception {
    int prometheusPort = freePort();
    int metricsPort = freePort();
    int alertmanagerPort = freePort();
    Path firstOutput = data.resolve("first-run.txt");
    Process run = startStack(data, firstOutput, prometheusPort, metricsPort, "--speed", "600",
        "--alertmanager-port", String.valueOf(alertmanagerPort));
    Set<Long> started = new HashSet<>();
    double acceptedBeforeStop;
    try {
      Set<String> names = awaitSeries(prometheusPort, run, firstOutput, started);
      assertThat(names).containsAll(EXPECTED_SERIES);
      assertThat(Files.readString(firstOutput)).contains("Pipeline Pulse is running", "Ctrl-C stops everything");
      acceptedBeforeStop = acceptedOpportunityChanges(metricsPort);
      assertThat(acceptedBeforeStop).isPositive();
      // Prometheus has the project's rules and sends their alerts to the stack's Alertmanager.
      JsonNode rules = get(prometheusPort, "/api/v1/rules");
      assertThat(rules.path("data").path("groups").findValuesAsText("name"))
          .contains("pulse-pipeline", "pulse-operations");
      assertThat(get(prometheusPort, "/api/v1/alertmanagers").path("data").path("activeAlertmanagers")
          .findValuesAsText("url")).containsExactly("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts");
      assertThat(Files.readString(firstOutput)).contains("Alertmanager         http://127.0.0.1:" + alertmanagerPort);
      // Flink's own job metrics are scraped too.
      String checkpoints = URLEncoder.encode("flink_jobmanager_job_numberOfCompletedCheckpoints", StandardCharsets.UTF_8);
      long deadline = System.currentTimeMillis() + 60_000;
      JsonNode result = json.createArrayNode();
      while (result.isEmpty() && System.currentTimeMillis() < deadline) {
        result = get(prometheusPort, "/api/v1/query?query=" + checkpoints).path("data").path("result");
        Thread.sleep(1000);
      }
      assertThat(result).as("Flink's checkpoint counts in Prometheus").isNotEmpty();
    } finally {
      stopWithCtrlC(run, firstOutput, started);
    }
    assertThat(run.exitValue()).isEqualTo(130);
    assertThat(started).as("processes started by the stack").hasSizeGreaterThanOrEqualTo(5);
    assertAllGone(started);
    assertThat(Files.readString(firstOutput)).contains("stopped kafka", "stopped alertmanager", "stopped job",
        "stopped prometheus", "stopped simulator");

    // Started again on the same data: the broker kept the topic; the job replays it and counts
    // every change once.
    Path secondOutput = data.resolve("second-run.txt");
    Process again = startStack(data, secondOutput, freePort(), metricsPort, "--no-simulator",
        "--alertmanager-port", String.valueOf(freePort()));
    Set<Long> startedAgain = new HashSet<>();
    try {
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
      double replayed = 0;
      while (replayed < acceptedBeforeStop && System.currentTimeMillis() < deadline) {
        again.descendants().forEach(p -> startedAgain.add(p.pid()));
        assertThat(again.isAlive()).as("second run alive:\n%s", Files.readString(secondOutput)).isTrue();
        Thread.sleep(1000);
        replayed = acceptedOpportunityChanges(metricsPort);
      }
      assertThat(replayed).as("opportunity changes replayed from the kept topic").isGreaterThanOrEqualTo(acceptedBeforeStop);
      assertThat(metric(metricsPort, "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"duplicate\"}"))
          .isZero();
    } finally {
      stopWithCtrlC(again, secondOutput, startedAgain);
    }
    assertAllGone(startedAgain);
  }

  private static Process startStack(Path data, Path output, int prometheusPort, int metricsPort, String... extra)
      throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<String> command = new ArrayList<>(List.of(
        root.resolve("local-stack/run").toString(), "--no-build", "--data", data.toString(),
        "--kafka-port", String.valueOf(KAFKA_PORT), "--controller-port", String.valueOf(CONTROLLER_PORT),
        "--metrics-port", String.valueOf(metricsPort), "--ui-port", String.valueOf(freePort()),
        "--flink-metrics-port", String.valueOf(freePort()),
        "--prometheus-port", String.valueOf(prometheusPort)));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private static void stopWithCtrlC(Process run, Path output, Set<Long> started) throws Exception {
    run.descendants().forEach(p -> started.add(p.pid()));
    new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();
    boolean exited = run.waitFor(90, TimeUnit.SECONDS);
    assertThat(exited).as("local-stack/run exits after SIGINT; output:\n%s", Files.readString(output)).isTrue();
  }

  private static void assertAllGone(Set<Long> pids) {
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("process %d still alive after the stack stopped", pid).isFalse();
    }
  }

  private double acceptedOpportunityChanges(int metricsPort) throws Exception {
    return metric(metricsPort,
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"accepted\"}");
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return json.readTree(response.body());
  }

  /** A sample of the job's own endpoint; 0 when the series is not there (yet). */
  private double metric(int metricsPort, String series) throws Exception {
    try {
      String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : page.split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
    } catch (IOException notUpYet) {
      // the endpoint starts with the job
    }
    return 0;
  }

  private Set<String> awaitSeries(int prometheusPort, Process run, Path output, Set<Long> started)
      throws Exception {
    String query = URLEncoder.encode("count by (__name__) ({__name__=~\"pulse_.*\"})", StandardCharsets.UTF_8);
    URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=" + query);
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    Set<String> names = new HashSet<>();
    while (System.currentTimeMillis() < deadline) {
      if (!run.isAlive()) {
        throw new AssertionError("local-stack/run exited early:\n" + Files.readString(output));
      }
      run.descendants().forEach(p -> started.add(p.pid()));
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          names.clear();
          for (JsonNode series : json.readTree(response.body()).path("data").path("result")) {
            names.add(series.path("metric").path("__name__").asText());
          }
          if (names.containsAll(EXPECTED_SERIES)) {
            return names;
          }
        }
      } catch (IOException notUpYet) {
        // Prometheus starts after the job
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("Prometheus did not show " + EXPECTED_SERIES + " in time; it had " + names
        + "\n" + Files.readString(output));
  }

  private static int freePortUnchecked() {
    try {
      return freePort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
