package io.pipelinepulse.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The job's packages follow the flow of a change — foundation, ingest, facts, records, aggregation,
 * publish — and none depends on a later one, so there is no cycle between them. Read from the
 * sources: every import and every qualified name of a class of the job counts.
 */
class PackageDependenciesTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final String ROOT = "io.pipelinepulse";
  private static final Pattern PACKAGE = Pattern.compile("^package (io\\.pipelinepulse[\\w.]*);", Pattern.MULTILINE);
  /** A class of the job named with its package: lower-case segments, then a capitalised name. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.pipelinepulse(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  /** The layers in the order of the flow; a package may use its own layer and those before it. */
  private static final List<Set<String>> LAYERS = List.of(
      Set.of("time", "batching", "types", "config", "topics", "flinkmetrics", "metrics"),
      Set.of("ingest", "ingest.formats", "ingest.formats.debezium", "ingest.formats.hubspot",
          "ingest.formats.salesforce"),
      Set.of("facts"),
      Set.of("directory", "lifecycle", "alerts"),
      Set.of("window", "funnel", "deals", "leads"),
      Set.of("publish"),
      Set.of(""));

  @Test
  void noPackageUsesALaterStageOfTheFlow() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertThat(uses).isNotEmpty();
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> entry : uses.entrySet()) {
      int layer = layerOf(entry.getKey());
      for (String used : entry.getValue()) {
        if (layerOf(used) > layer) {
          violations.add(display(entry.getKey()) + " -> " + display(used));
        }
      }
    }
    assertThat(violations).as("dependencies against the flow").isEmpty();
  }

  @Test
  void noTwoPackagesDependOnEachOther() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    for (String start : uses.keySet()) {
      assertThat(reachable(uses, start)).as("packages that %s reaches and that reach it back", display(start))
          .doesNotContain(start);
    }
  }

  @Test
  void everyPackageOfTheJobHasItsPlaceInTheFlow() throws IOException {
    for (String name : dependencies().keySet()) {
      assertThat(layerOf(name)).as("layer of %s", display(name)).isNotNegative();
    }
  }

  private static Set<String> reachable(Map<String, Set<String>> uses, String start) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(uses.getOrDefault(start, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (seen.add(next)) {
        todo.addAll(uses.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }

  private static int layerOf(String name) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String display(String name) {
    return name.isEmpty() ? ROOT : ROOT + "." + name;
  }

  /** Package (without the root's name) to the other packages of the job its classes use. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher declared = PACKAGE.matcher(source);
        if (!declared.find()) {
          continue;
        }
        String from = relative(declared.group(1));
        Set<String> used = uses.computeIfAbsent(from, name -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
          String to = relative(reference.group(1));
          if (!to.equals(from) && !to.startsWith("schema")) {
            used.add(to);
          }
        }
      }
    }
    return uses;
  }

  private static String relative(String name) {
    return name.equals(ROOT) ? "" : name.substring(ROOT.length() + 1);
  }
}
