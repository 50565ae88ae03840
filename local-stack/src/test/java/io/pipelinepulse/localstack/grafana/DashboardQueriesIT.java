package io.pipelinepulse.localstack.grafana;

import static io.pipelinepulse.localstack.testing.LocalStackProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.localstack.grafana.Dashboards.Dashboard;
import io.pipelinepulse.localstack.grafana.Dashboards.PanelQuery;
import io.pipelinepulse.localstack.testing.LocalStackProcess;
import io.pipelinepulse.localstack.testing.PrometheusApi;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel query of every dashboard, run against a real Prometheus that scrapes the job (fed by
 * the simulated CRM with 40 days of history, so stalls, wins and 30-day windows exist) and loads
 * the project's recording rules: each must return data, once with the variables set to one real
 * value each (one their own queries offer) and once with "All".
 */
class DashboardQueriesIT {

  /** The value a variable takes in the first pass when no other shows more panels with data. */
  private static final Map<String, String> PREFERRED = Map.of(
      "pipeline", "default", "team", "East", "lead_source", "Web", "window", "30d");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

  @Test
  void everyPanelQueryReturnsDataFromAPrometheusScrapingTheJob(@TempDir Path data) throws Exception {
    int prometheusPort = freePort();
    LocalStackProcess stack = LocalStackProcess.start(data, data.resolve("stack.txt"), List.of(
        "--kafka-port", String.valueOf(freePort()), "--controller-port", String.valueOf(freePort()),
        "--metrics-port", String.valueOf(freePort()), "--flink-metrics-port", String.valueOf(freePort()),
        "--ui-port", String.valueOf(freePort()), "--prometheus-port", String.valueOf(prometheusPort),
        "--alertmanager-port", String.valueOf(freePort()), "--grafana-port", String.valueOf(freePort()),
        "--history-days", "40", "--speed", "60"));
    try {
      PrometheusApi prometheus = new PrometheusApi(prometheusPort);
      awaitCaughtUp(prometheus, stack);
      List<Dashboard> dashboards = Dashboards.all();
      assertThat(dashboards).hasSize(4);
      // Rates need two scrapes and recorded series an evaluation: allow them a few minutes.
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
      List<String> failures = evaluate(prometheus, dashboards);
      while (!failures.isEmpty() && System.currentTimeMillis() < deadline) {
        stack.assertAlive();
        Thread.sleep(5000);
        failures = evaluate(prometheus, dashboards);
      }
      assertThat(failures).as("dashboard queries that returned nothing").isEmpty();
      assertThat(Dashboards.queries(dashboards)).hasSizeGreaterThan(60);
      if (!onPath("grafana") && !onPath("grafana-server")) {
        assertThat(stack.output()).contains("Grafana not found", "https://grafana.com/grafana/download");
      }
    } finally {
      stack.stopWithCtrlC();
    }
    stack.assertAllGone();
  }

  /**
   * Every failure of one evaluation of all queries, in both passes; empty when all returned data.
   * The first pass gives each variable, in order, the offered value with the most panels showing
   * data (the preferred one on a tie): the simulated history ends now, so which team has won
   * something in a window changes with the time of day, and a ratio with nothing to divide by is
   * absent by design.
   */
  private static List<String> evaluate(PrometheusApi prometheus, List<Dashboard> dashboards) throws Exception {
    List<String> failures = new ArrayList<>();
    for (Dashboard dashboard : dashboards) {
      List<PanelQuery> queries = Dashboards.queries(List.of(dashboard));
      Map<String, String> chosen = new LinkedHashMap<>();
      Map<String, String> all = new LinkedHashMap<>();
      for (JsonNode variable : dashboard.variables()) {
        String name = variable.path("name").asText();
        List<String> offered = new ArrayList<>(offeredValues(prometheus, variable, chosen));
        if (offered.isEmpty()) {
          failures.add(dashboard.title() + ": variable $" + name + " offers no value");
          offered.add("none");
        }
        offered.sort((a, b) -> Boolean.compare(!a.equals(PREFERRED.get(name)), !b.equals(PREFERRED.get(name))));
        String best = offered.get(0);
        int fewestEmpty = Integer.MAX_VALUE;
        for (String candidate : offered) {
          Map<String, String> trial = new LinkedHashMap<>(chosen);
          trial.put(name, candidate);
          dashboard.variables().stream().map(v -> v.path("name").asText()).filter(n -> !trial.containsKey(n))
              .forEach(n -> trial.put(n, PREFERRED.getOrDefault(n, ".*")));
          int empty = emptyResults(prometheus, queries, trial).size();
          if (empty < fewestEmpty) {
            fewestEmpty = empty;
            best = candidate;
          }
        }
        chosen.put(name, best);
        all.put(name, variable.path("includeAll").asBoolean() ? variable.path("allValue").asText(".*") : best);
      }
      failures.addAll(emptyResults(prometheus, queries, chosen));
      failures.addAll(emptyResults(prometheus, queries, all));
    }
    return failures;
  }

  /** The queries that return nothing (or fail) with these variable values. */
  private static List<String> emptyResults(PrometheusApi prometheus, List<PanelQuery> queries, Map<String, String> values)
      throws Exception {
    List<String> empty = new ArrayList<>();
    for (PanelQuery query : queries) {
      String expr = Dashboards.substitute(query.expr(), values);
      try {
        if (prometheus.query(expr).isEmpty()) {
          empty.add(query.name() + " with " + values + ": " + expr);
        }
      } catch (IOException e) {
        empty.add(query.name() + ": " + e.getMessage());
      }
    }
    return empty;
  }

  /** The values a variable offers: its options, or its {@code label_values} query's answer. */
  private static Set<String> offeredValues(PrometheusApi prometheus, JsonNode variable, Map<String, String> earlier)
      throws Exception {
    Set<String> values = new LinkedHashSet<>();
    if (variable.path("type").asText().equals("custom")) {
      variable.path("options").forEach(option -> values.add(option.path("value").asText()));
      return values;
    }
    String definition = variable.path("query").isObject() ? variable.path("query").path("query").asText()
        : variable.path("query").asText();
    Matcher m = LABEL_VALUES.matcher(Dashboards.substitute(definition, earlier));
    assertThat(m.matches()).as("variable %s: %s", variable.path("name").asText(), definition).isTrue();
    for (JsonNode series : prometheus.query("group by (" + m.group(2) + ") (" + m.group(1) + ")")) {
      values.add(series.path("metric").path(m.group(2)).asText());
    }
    return values;
  }

  /** Waits until the job has read the simulated history and its clock follows the wall clock. */
  private static void awaitCaughtUp(PrometheusApi prometheus, LocalStackProcess stack) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    while (System.currentTimeMillis() < deadline) {
      stack.assertAlive();
      try {
        JsonNode lag = prometheus.query("pulse_clock_lag_seconds < 300");
        if (!lag.isEmpty() && !prometheus.query("pulse_stalled_deals").isEmpty()) {
          return;
        }
      } catch (IOException notUpYet) {
        // Prometheus starts after the job
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("the job did not catch up with the simulated history in time:\n" + stack.output());
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Path.of(dir, command).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }
}
