package io.pipelinepulse.localstack.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pipelinepulse.localstack.grafana.Dashboards.Dashboard;
import io.pipelinepulse.localstack.grafana.Dashboards.PanelQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards as Grafana's provisioning loads them: unique uids, every data source a provisioned
 * one, every panel titled and described and with a unit where it shows a quantity, every variable
 * a query uses defined, no two panels on the same spot.
 */
class DashboardStructureTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Panels that draw numbers, which need a unit. */
  private static final Set<String> QUANTITY_PANELS = Set.of("stat", "gauge", "bargauge", "timeseries", "table", "barchart");
  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token", "apikey", "api_key", "basicauth");

  private final List<Dashboard> dashboards = Dashboards.all();

  /** Grafana's built-in data source, of the default annotations. */
  private static final String BUILT_IN_DATASOURCE = "-- Grafana --";

  private Set<String> provisionedDatasourceUids() throws Exception {
    Set<String> uids = new HashSet<>();
    try (Stream<Path> files = Files.list(Dashboards.GRAFANA.resolve("provisioning/datasources"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        for (JsonNode datasource : YAML.readTree(file.toFile()).path("datasources")) {
          uids.add(datasource.path("uid").asText());
        }
      }
    }
    return uids;
  }

  @Test
  void theFourDashboardsHaveUniqueUidsAndTitles() {
    assertThat(dashboards).extracting(Dashboard::uid).containsExactlyInAnyOrder(
        "pulse-pipeline-health", "pulse-lead-response", "pulse-stalled-slipping", "pulse-job-operations");
    assertThat(dashboards).extracting(Dashboard::title).doesNotHaveDuplicates().allMatch(t -> !t.isBlank());
    for (Dashboard dashboard : dashboards) {
      List<Integer> ids = dashboard.panels().stream().map(p -> p.path("id").asInt(-1)).toList();
      assertThat(ids).as("panel ids of %s", dashboard.title()).doesNotHaveDuplicates().doesNotContain(-1);
    }
  }

  @Test
  void theProvisioningNamesTheDatasourcesByFixedUidAndLoadsTheDashboardsFolder() throws Exception {
    assertThat(provisionedDatasourceUids()).containsExactlyInAnyOrder("pulse-prometheus", "pulse-alertmanager");
    JsonNode provider = YAML.readTree(Dashboards.GRAFANA.resolve("provisioning/dashboards/pulse.yaml").toFile())
        .path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).isEqualTo("${PULSE_DASHBOARDS_DIR}");
  }

  @Test
  void everyDatasourceReferenceResolvesToAProvisionedUid() throws Exception {
    Set<String> provisioned = provisionedDatasourceUids();
    List<String> unresolved = new ArrayList<>();
    for (Dashboard dashboard : dashboards) {
      List<JsonNode> refs = new ArrayList<>();
      dashboard.json().findParents("datasource").forEach(parent -> refs.add(parent.get("datasource")));
      assertThat(refs).as("%s refers to its data sources", dashboard.title()).isNotEmpty();
      for (JsonNode ref : refs) {
        String uid = ref.isTextual() ? ref.asText() : ref.path("uid").asText();
        if (!provisioned.contains(uid) && !uid.equals(BUILT_IN_DATASOURCE)) {
          unresolved.add(dashboard.title() + ": " + ref);
        }
      }
    }
    assertThat(unresolved).isEmpty();
  }

  @Test
  void everyPanelHasATitleADescriptionAndAUnitWhereItShowsAQuantity() {
    List<String> problems = new ArrayList<>();
    for (Dashboard dashboard : dashboards) {
      for (JsonNode panel : dashboard.panels()) {
        String where = dashboard.title() + " / " + panel.path("title").asText("(untitled " + panel.path("type") + ")");
        if (panel.path("title").asText().isBlank()) {
          problems.add(where + ": no title");
        }
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        if (panel.path("description").asText().isBlank()) {
          problems.add(where + ": no description");
        }
        if (QUANTITY_PANELS.contains(panel.path("type").asText())
            && panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
          problems.add(where + ": no unit");
        }
        if (QUANTITY_PANELS.contains(panel.path("type").asText()) && panel.path("targets").isEmpty()) {
          problems.add(where + ": no query");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyQueryHasARefIdAndUsesOnlyDefinedVariables() {
    for (Dashboard dashboard : dashboards) {
      Set<String> defined = new HashSet<>(Dashboards.BUILT_IN.keySet());
      dashboard.variables().forEach(v -> defined.add(v.path("name").asText()));
      for (PanelQuery query : Dashboards.queries(List.of(dashboard))) {
        assertThat(query.refId()).as(query.name()).isNotBlank();
        assertThat(Dashboards.variablesIn(query.expr())).as(query.name()).allMatch(defined::contains);
      }
      for (JsonNode variable : dashboard.variables()) {
        if (variable.path("includeAll").asBoolean()) {
          assertThat(variable.path("allValue").asText()).as("%s: $%s's All value, for =~ matchers",
              dashboard.title(), variable.path("name").asText()).isEqualTo(".*");
        }
      }
    }
  }

  @Test
  void noTwoPanelsOverlap() {
    for (Dashboard dashboard : dashboards) {
      List<JsonNode> placed = new ArrayList<>();
      for (JsonNode panel : dashboard.json().path("panels")) {
        JsonNode a = panel.path("gridPos");
        assertThat(a.path("w").asInt() + a.path("x").asInt()).as("%s fits the 24 columns", panel.path("title"))
            .isLessThanOrEqualTo(24);
        for (JsonNode other : placed) {
          JsonNode b = other.path("gridPos");
          boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
              && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
              && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
              && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
          assertThat(overlap).as("%s / %s overlaps %s", dashboard.title(), panel.path("title"), other.path("title"))
              .isFalse();
        }
        placed.add(panel);
      }
    }
  }

  @Test
  void noFileOfTheProvisioningHoldsASecret() throws Exception {
    try (Stream<Path> files = Files.walk(Dashboards.GRAFANA)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file).toLowerCase(java.util.Locale.ROOT).replace("\"", "");
        for (String word : SECRET_WORDS) {
          assertThat(text).as("%s mentions %s", file, word).doesNotContain(word + ":");
        }
      }
    }
  }
}
