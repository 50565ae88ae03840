package io.pipelinepulse.publish;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.ingest.InputOutcomeCounter;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.testing.MetricsPage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The latest value of each series as Prometheus renders it. */
class LatestKpisTest {

  private static final long T = 1_767_607_200_000L;

  private final AtomicLong wall = new AtomicLong(T + 90_000);
  private final LatestKpis latest = new LatestKpis(wall::get);

  private String render() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, latest.collect());
    return out.toString(StandardCharsets.UTF_8);
  }

  private Map<String, Double> page() throws IOException {
    return MetricsPage.parse(render());
  }

  private static Map<String, String> labels(String... pairs) {
    return Kpi.labels(pairs);
  }

  @Test
  void counterIsExposedAsACounterWithTotalSuffix() throws IOException {
    latest.apply(Kpi.counter("pulse_input_events_total",
        labels("format", "canonical", "entity", "opportunity", "outcome", "accepted"), 3, T));
    latest.apply(Kpi.counter("pulse_input_events_total",
        labels("format", "canonical", "entity", "opportunity", "outcome", "duplicate"), 1, T));

    String text = render();

    // the TYPE line names the family with or without _total depending on the writer version
    assertThat(text.lines()).anyMatch(l -> l.matches("# TYPE pulse_input_events(_total)? counter"));
    assertThat(text.lines()).anyMatch(
        l -> l.matches("# HELP pulse_input_events(_total)? Input change records by what became of them"));
    assertThat(text).doesNotContain("gauge");
    assertThat(text.lines()).contains(
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"accepted\"} 3.0",
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"duplicate\"} 1.0");
    assertThat(text).doesNotContain("pulse_input_events_total_total");
  }

  @Test
  void counterValueIsTheLatestSnapshotNotASum() throws IOException {
    Map<String, String> labels = labels("format", "canonical", "entity", "lead", "outcome", "late");
    latest.apply(Kpi.counter("pulse_input_events_total", labels, 5, T));
    latest.apply(Kpi.counter("pulse_input_events_total", labels, 7, T + 1000));
    assertThat(page()).containsEntry(
        series("pulse_input_events_total", "format", "canonical", "entity", "lead", "outcome", "late"), 7.0);
  }

  @Test
  void inputCountersStartAtZeroWithoutHidingARestoredCount() throws IOException {
    Map<String, String> restored = labels("format", "canonical", "entity", "lead", "outcome", "accepted");
    latest.apply(Kpi.counter("pulse_input_events_total", restored, 12, T));
    InputOutcomeCounter.zeroCounts(List.of("canonical")).forEach(latest::applyIfAbsent);

    Map<String, Double> page = page();
    assertThat(page).containsEntry(
        series("pulse_input_events_total", "format", "canonical", "entity", "lead", "outcome", "accepted"), 12.0);
    for (String entity : List.of("lead", "opportunity", "activity", "user")) {
      for (String outcome : List.of("accepted", "duplicate", "late", "invalid", "gap", "failed")) {
        assertThat(page).containsKey(
            series("pulse_input_events_total", "format", "canonical", "entity", entity, "outcome", outcome));
      }
    }
    assertThat(page).containsEntry(
        series("pulse_input_events_total", "format", "canonical", "entity", "unknown", "outcome", "invalid"), 0.0);
    for (String entity : List.of("lead", "opportunity")) {
      assertThat(page).as("failures at a deadline").containsEntry(
          series("pulse_input_events_total", "format", "clock", "entity", entity, "outcome", "failed"), 0.0);
    }
    assertThat(page.keySet().stream().filter(k -> k.startsWith("pulse_input_events_total"))).hasSize(27);
  }

  @Test
  void gaugeIsExposedWithItsLabels() throws IOException {
    latest.apply(Kpi.gauge("pulse_open_deals", labels("pipeline", "default", "stage", "Qualification",
        "team", "East"), 4.0, T));
    String text = render();
    assertThat(text).contains("# TYPE pulse_open_deals gauge");
    assertThat(text.lines()).contains(
        "pulse_open_deals{pipeline=\"default\",stage=\"Qualification\",team=\"East\"} 4.0");
  }

  @Test
  void absentSnapshotRemovesTheSeriesWhateverTheLabelOrder() throws IOException {
    Map<String, String> labels = labels("pipeline", "default", "stage", "Qualification", "team", "East",
        "window", "1d");
    latest.apply(Kpi.gauge("pulse_stage_conversion_ratio", labels, 0.5, T));
    latest.apply(Kpi.gauge("pulse_stage_conversion_ratio", labels("pipeline", "default", "stage", "Qualification",
        "team", "East", "window", "7d"), 0.25, T));
    assertThat(page()).containsKey(series("pulse_stage_conversion_ratio",
        "pipeline", "default", "stage", "Qualification", "team", "East", "window", "1d"));

    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("window", "1d");
    reordered.put("team", "East");
    reordered.put("stage", "Qualification");
    reordered.put("pipeline", "default");
    latest.apply(Kpi.absent("pulse_stage_conversion_ratio", reordered, T + 60_000));

    Map<String, Double> page = page();
    assertThat(page).doesNotContainKey(series("pulse_stage_conversion_ratio",
        "pipeline", "default", "stage", "Qualification", "team", "East", "window", "1d"));
    assertThat(page).containsEntry(series("pulse_stage_conversion_ratio",
        "pipeline", "default", "stage", "Qualification", "team", "East", "window", "7d"), 0.25);
    assertThat(latest.all()).hasSize(1);

    // it comes back with the next value
    latest.apply(Kpi.gauge("pulse_stage_conversion_ratio", labels, 1.0, T + 120_000));
    assertThat(page()).containsEntry(series("pulse_stage_conversion_ratio",
        "pipeline", "default", "stage", "Qualification", "team", "East", "window", "1d"), 1.0);
  }

  @Test
  void absentSnapshotOfTheLastSeriesRemovesTheMetric() throws IOException {
    Map<String, String> labels = labels("pipeline", "default", "stage", "Prospecting", "team", "West",
        "window", "30d");
    latest.apply(Kpi.gauge("pulse_stage_conversion_ratio", labels, 0.5, T));
    latest.apply(Kpi.absent("pulse_stage_conversion_ratio", labels, T + 60_000));
    assertThat(render()).doesNotContain("pulse_stage_conversion_ratio");
    assertThat(latest.all()).isEmpty();
  }

  @Test
  void absentSnapshotOfAnUnknownSeriesIsHarmless() throws IOException {
    latest.apply(Kpi.absent("pulse_stage_conversion_ratio", labels("window", "1d"), T));
    assertThat(latest.all()).isEmpty();
    assertThat(render()).isBlank();
  }

  @Test
  void clockLagIsWallMinusWatermarkOnceAWatermarkIsKnown() throws IOException {
    assertThat(render()).doesNotContain(LatestKpis.CLOCK_LAG);
    latest.watermark(T);
    assertThat(page()).containsEntry(LatestKpis.CLOCK_LAG + "{}", 90.0);
    wall.addAndGet(30_500);
    assertThat(page()).containsEntry(LatestKpis.CLOCK_LAG + "{}", 120.5);
  }

  @Test
  void everySnapshotKeepsItsOwnSeries() throws IOException {
    KpiSnapshot east = Kpi.gauge("pulse_open_pipeline_amount", labels("team", "East"), 100.0, T);
    KpiSnapshot west = Kpi.gauge("pulse_open_pipeline_amount", labels("team", "West"), 200.0, T);
    KpiSnapshot deals = Kpi.gauge("pulse_open_deals", labels("team", "East"), 2.0, T);
    latest.apply(east);
    latest.apply(west);
    latest.apply(deals);
    assertThat(latest.all()).containsExactlyInAnyOrder(east, west, deals);
    assertThat(page()).containsEntry(series("pulse_open_pipeline_amount", "team", "East"), 100.0)
        .containsEntry(series("pulse_open_pipeline_amount", "team", "West"), 200.0)
        .containsEntry(series("pulse_open_deals", "team", "East"), 2.0);
  }
}
