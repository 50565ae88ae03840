package io.pipelinepulse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The series the job declares ({@link MetricCatalog}) are the ones the README documents, and the
 * only ones the Prometheus rules and the Grafana dashboards use, with labels the series has.
 */
class MetricContractTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern SERIES = Pattern.compile("pulse_[a-z0-9_]+");
  /** A selector: the series and what stands between its braces. */
  private static final Pattern SELECTOR = Pattern.compile("(pulse_[a-z0-9_]+)\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  /** Labels Prometheus adds to every scraped series. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  @Test
  void theReadmeTableListsEveryDeclaredSeriesWithItsLabels() throws IOException {
    Map<String, Set<String>[]> documented = readmeTable();
    assertThat(documented.keySet()).as("series in the README's table")
        .containsExactlyInAnyOrderElementsOf(MetricCatalog.all().keySet());
    for (MetricCatalog.Metric metric : MetricCatalog.all().values()) {
      Set<String>[] row = documented.get(metric.name());
      Set<String> declared = new TreeSet<>(metric.labels());
      assertThat(declared).as("labels of %s: the README's row holds them all", metric.name())
          .containsAll(row[0]);
      Set<String> possible = new TreeSet<>(row[0]);
      possible.addAll(row[1]);
      assertThat(possible).as("labels of %s: the README's row names each", metric.name()).containsAll(declared);
    }
  }

  @Test
  void rulesAndDashboardsUseOnlyDeclaredSeriesAndTheirLabels() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("alerting/prometheus/pulse-rules.yml"));
    try (Stream<Path> dashboards = Files.list(ROOT.resolve("grafana/dashboards"))) {
      dashboards.filter(file -> file.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    Set<String> used = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file).replace("\\\"", "\"");
      Matcher series = SERIES.matcher(text);
      while (series.find()) {
        used.add(series.group());
        if (!MetricCatalog.all().containsKey(series.group())) {
          problems.add(ROOT.relativize(file) + ": " + series.group() + " is not a declared series");
        }
      }
      Matcher selector = SELECTOR.matcher(text);
      while (selector.find()) {
        MetricCatalog.Metric metric = MetricCatalog.all().get(selector.group(1));
        Matcher label = MATCHER.matcher(selector.group(2));
        while (metric != null && label.find()) {
          if (!metric.labels().contains(label.group(1)) && !TARGET_LABELS.contains(label.group(1))) {
            problems.add(ROOT.relativize(file) + ": " + metric.name() + " has no label " + label.group(1));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(used).as("the check reads real files").contains("pulse_open_deals", "pulse_input_events_total");
  }

  /**
   * The README's table of series: for each series, the labels its row names plainly and those it
   * names as "(+ label)", which only some series of the row have.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Set<String>[]> readmeTable() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## What it publishes"));
    section = section.substring(0, section.indexOf("\n\n", section.indexOf("| series |")));
    Map<String, Set<String>[]> rows = new TreeMap<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `pulse_")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Set<String> plain = new LinkedHashSet<>();
      Set<String> optional = new LinkedHashSet<>();
      String labels = cells[2];
      Matcher extra = Pattern.compile("\\(\\+([^)]*)\\)").matcher(labels);
      while (extra.find()) {
        optional.addAll(words(extra.group(1)));
      }
      plain.addAll(words(labels.replaceAll("\\([^)]*\\)", "")));
      Matcher names = SERIES.matcher(cells[1]);
      while (names.find()) {
        rows.put(names.group(), new Set[] {plain, optional});
      }
    }
    return rows;
  }

  /** The label names in a cell: the first word of each comma-separated part, "—" for none. */
  private static List<String> words(String cell) {
    List<String> words = new ArrayList<>();
    for (String part : cell.split(",")) {
      String word = part.trim().split("\\s+")[0].replace("`", "");
      if (word.matches("[a-z_]+")) {
        words.add(word);
      }
    }
    return words;
  }
}
