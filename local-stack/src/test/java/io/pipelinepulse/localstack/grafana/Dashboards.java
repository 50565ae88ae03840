package io.pipelinepulse.localstack.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The dashboards of grafana/dashboards as Grafana reads them: panels, their queries, variables. */
final class Dashboards {

  static final Path GRAFANA = Path.of(System.getProperty("user.dir")).getParent().resolve("grafana");

  /** Grafana's own variables, as a dashboard over the last 6 hours fills them in. */
  static final Map<String, String> BUILT_IN = Map.of(
      "__rate_interval", "5m", "__interval", "1m", "__interval_ms", "60000",
      "__range", "6h", "__range_s", "21600", "__range_ms", "21600000");

  // ${name}, ${name:format}, [[name]], [[name:format]] and $name
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^\\]]*)?]]|\\$(\\w+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Dashboard(Path file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    String title() {
      return json.path("title").asText();
    }

    /** Every panel, those inside collapsed rows too. */
    List<JsonNode> panels() {
      List<JsonNode> panels = new ArrayList<>();
      for (JsonNode panel : json.path("panels")) {
        panels.add(panel);
        panel.path("panels").forEach(panels::add);
      }
      return panels;
    }

    List<JsonNode> variables() {
      List<JsonNode> variables = new ArrayList<>();
      json.path("templating").path("list").forEach(variables::add);
      return variables;
    }
  }

  /** One Prometheus query of a panel. */
  record PanelQuery(Dashboard dashboard, JsonNode panel, String refId, String expr) {
    String name() {
      return dashboard.title() + " / " + panel.path("title").asText() + " / " + refId;
    }
  }

  private Dashboards() {}

  static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      List<Dashboard> dashboards = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(new Dashboard(file, JSON.readTree(file.toFile())));
      }
      return dashboards;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<PanelQuery> queries(List<Dashboard> dashboards) {
    List<PanelQuery> queries = new ArrayList<>();
    for (Dashboard dashboard : dashboards) {
      for (JsonNode panel : dashboard.panels()) {
        for (JsonNode target : panel.path("targets")) {
          if (target.hasNonNull("expr")) {
            queries.add(new PanelQuery(dashboard, panel, target.path("refId").asText(), target.get("expr").asText()));
          }
        }
      }
    }
    return queries;
  }

  /** The names of the variables {@code text} uses. */
  static List<String> variablesIn(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      names.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return names;
  }

  /** {@code text} with every variable replaced by its value; an unknown variable is an error. */
  static String substitute(String text, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = values.containsKey(name) ? values.get(name) : BUILT_IN.get(name);
      if (value == null) {
        throw new IllegalArgumentException("unknown variable $" + name + " in: " + text);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
