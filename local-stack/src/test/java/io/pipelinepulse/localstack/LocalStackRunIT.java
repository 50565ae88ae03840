package io.pipelinepulse.localstack;

import static io.pipelinepulse.localstack.testing.LocalStackProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.localstack.testing.LocalStackProcess;
import io.pipelinepulse.localstack.testing.PrometheusApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  private static final int KAFKA_PORT = freePort();
  private static final int CONTROLLER_PORT = freePort();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void oneCommandShowsLivePulseSeriesInPrometheusStopsOnCtrlCAndKeepsItsData(@TempDir Path data) throws Exception {
    int prometheusPort = freePort();
    int metricsPort = freePort();
    int alertmanagerPort = freePort();
    LocalStackProcess run = startStack(data, "first-run.txt", prometheusPort, metricsPort, "--speed", "600",
        "--alertmanager-port", String.valueOf(alertmanagerPort));
    PrometheusApi prometheus = new PrometheusApi(prometheusPort);
    double acceptedBeforeStop;
    try {
      Set<String> names = awaitSeries(prometheus, run);
      assertThat(names).containsAll(EXPECTED_SERIES);
      assertThat(run.output()).contains("Pipeline Pulse is running", "Ctrl-C stops everything");
      acceptedBeforeStop = acceptedOpportunityChanges(metricsPort);
      assertThat(acceptedBeforeStop).isPositive();
      // Prometheus has the project's rules and sends their alerts to the stack's Alertmanager.
      JsonNode rules = prometheus.get("/api/v1/rules");
      assertThat(rules.path("data").path("groups").findValuesAsText("name"))
          .contains("pulse-pipeline", "pulse-operations");
      assertThat(prometheus.get("/api/v1/alertmanagers").path("data").path("activeAlertmanagers")
          .findValuesAsText("url")).containsExactly("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts");
      assertThat(run.output()).contains("Alertmanager         http://127.0.0.1:" + alertmanagerPort);
      // Flink's own job metrics are scraped too (on a loaded machine the first scrape of the
      // JobManager's reporter can come late while the job replays its 40 days of history).
      long deadline = System.currentTimeMillis() + 180_000;
      JsonNode result = prometheus.query("flink_jobmanager_job_numberOfCompletedCheckpoints");
      while (result.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(1000);
        result = prometheus.query("flink_jobmanager_job_numberOfCompletedCheckpoints");
      }
      assertThat(result).as("Flink's checkpoint counts in Prometheus").isNotEmpty();
    } finally {
      assertThat(run.stopWithCtrlC()).isEqualTo(130);
    }
    assertThat(run.started()).as("processes started by the stack").hasSizeGreaterThanOrEqualTo(5);
    run.assertAllGone();
    assertThat(run.output()).contains("stopped kafka", "stopped alertmanager", "stopped job",
        "stopped prometheus", "stopped simulator");

    // Started again on the same data: the broker kept the topic; the job replays it and counts
    // every change once.
    LocalStackProcess again = startStack(data, "second-run.txt", freePort(), metricsPort, "--no-simulator",
        "--alertmanager-port", String.valueOf(freePort()));
    try {
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
      double replayed = 0;
      while (replayed < acceptedBeforeStop && System.currentTimeMillis() < deadline) {
        again.assertAlive();
        Thread.sleep(1000);
        replayed = acceptedOpportunityChanges(metricsPort);
      }
      assertThat(replayed).as("opportunity changes replayed from the kept topic").isGreaterThanOrEqualTo(acceptedBeforeStop);
      assertThat(metric(metricsPort, "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"duplicate\"}"))
          .isZero();
    } finally {
      again.stopWithCtrlC();
    }
    again.assertAllGone();
  }

  private static LocalStackProcess startStack(Path data, String outputName, int prometheusPort, int metricsPort,
      String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "--kafka-port", String.valueOf(KAFKA_PORT), "--controller-port", String.valueOf(CONTROLLER_PORT),
        "--metrics-port", String.valueOf(metricsPort), "--ui-port", String.valueOf(freePort()),
        "--flink-metrics-port", String.valueOf(freePort()), "--grafana-port", String.valueOf(freePort()),
        "--prometheus-port", String.valueOf(prometheusPort)));
    args.addAll(List.of(extra));
    return LocalStackProcess.start(data, data.resolve(outputName), args);
  }

  private double acceptedOpportunityChanges(int metricsPort) throws Exception {
    return metric(metricsPort,
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"accepted\"}");
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

  private static Set<String> awaitSeries(PrometheusApi prometheus, LocalStackProcess run) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    Set<String> names = new HashSet<>();
    while (System.currentTimeMillis() < deadline) {
      run.assertAlive();
      try {
        names.clear();
        for (JsonNode series : prometheus.query("count by (__name__) ({__name__=~\"pulse_.*\"})")) {
          names.add(series.path("metric").path("__name__").asText());
        }
        if (names.containsAll(EXPECTED_SERIES)) {
          return names;
        }
      } catch (IOException notUpYet) {
        // Prometheus starts after the job
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("Prometheus did not show " + EXPECTED_SERIES + " in time; it had " + names
        + "\n" + run.output());
  }
}
