package io.pipelinepulse.localstack.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The files of alerting/ as Prometheus and Alertmanager read them: promtool checks the rules and
 * runs their unit tests, amtool checks the Alertmanager configuration and where it routes, and
 * every alert (from the rules and from the job) has its annotations and a runbook in the repository.
 */
class AlertingConfigTest {

  private static final Path ALERTING = Path.of(System.getProperty("user.dir")).getParent().resolve("alerting");
  private static final Path RULES = ALERTING.resolve("prometheus/pulse-rules.yml");
  private static final Path ALERTMANAGER = ALERTING.resolve("alertmanager/alertmanager.yml");
  private static final List<String> JOB_ALERTS =
      List.of("DealStalled", "DealPastDue", "DealCloseDateSlipped", "LeadResponseSlaBreached");
  private static final String RUNBOOKS = "https://github.com/pipeline-pulse/pipeline-pulse/blob/main/alerting/runbooks/";

  private record Run(int exit, String output) {}

  private static Run run(String... command) throws IOException, InterruptedException {
    return run(true, command);
  }

  /** Runs a tool; without {@code withErrors} only its standard output is kept (amtool warns on stderr). */
  private static Run run(boolean withErrors, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (withErrors) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Run check = run("promtool", "check", "rules", RULES.toString());
    assertThat(check.exit()).as(check.output()).isZero();
  }

  @Test
  void everyRuleUnitTestPasses() throws Exception {
    try (var tests = Files.list(ALERTING.resolve("prometheus/tests"))) {
      List<Path> files = tests.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
      assertThat(files).isNotEmpty();
      for (Path file : files) {
        Run test = run("promtool", "test", "rules", file.toString());
        assertThat(test.exit()).as(test.output()).isZero();
      }
    }
  }

  @Test
  void everyRuleAlertIsTestedAndHasSeverityAnnotationsAndARunbook() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    String tests = Files.readString(ALERTING.resolve("prometheus/tests/pulse-rules-test.yml"));
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (!rule.has("alert")) {
          assertThat(tests).as("recorded series %s is unit-tested", rule.get("record").asText())
              .contains("expr: " + rule.get("record").asText());
          continue;
        }
        String name = rule.get("alert").asText();
        alerts.add(name);
        assertThat(rule.at("/labels/severity").asText()).as(name).isIn("warning", "critical");
        assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
        assertThat(rule.at("/annotations/description").asText()).as(name).isNotBlank();
        assertThat(rule.at("/annotations/runbook_url").asText()).as(name).isEqualTo(RUNBOOKS + name + ".md");
        assertThat(tests).as("%s is unit-tested", name).contains("alertname: " + name);
      }
    }
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
    List<String> all = new ArrayList<>(alerts);
    all.addAll(JOB_ALERTS);
    for (String name : all) {
      Path runbook = ALERTING.resolve("runbooks/" + name + ".md");
      assertThat(runbook).as("runbook of %s", name).exists();
      String text = Files.readString(runbook);
      assertThat(text).as(name).startsWith("# " + name).contains("## What it means").contains("## How to check")
          .contains("## What to do");
    }
  }

  @Test
  void amtoolAcceptsTheAlertmanagerConfiguration() throws Exception {
    Run check = run("amtool", "check-config", ALERTMANAGER.toString());
    assertThat(check.exit()).as(check.output()).isZero();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      alertname=DealStalled team=East                    | manager-east
      alertname=LeadResponseSlaBreached team=West        | manager-west
      alertname=DealPastDue team=Central                 | manager-central
      alertname=DealCloseDateSlipped team=Enterprise     | manager-enterprise
      alertname=DealStalled team=unknown                 | sales-ops
      alertname=PulseStalledAmountHigh team=East         | sales-ops
      alertname=PulseStageConversionDropped team=West    | sales-ops
      alertname=PulseJobDown                             | on-call
      alertname=PulseClockStalled                        | on-call
      alertname=PulseCheckpointsFailing                  | on-call
      alertname=PulseGapEventsAwaitingReconciliation     | on-call
      """)
  void alertsRouteToTheRightReceiver(String labels, String receiver) throws Exception {
    List<String> command = new ArrayList<>(List.of("amtool", "config", "routes", "test",
        "--config.file=" + ALERTMANAGER));
    command.addAll(List.of(labels.trim().split("\\s+")));
    Run route = run(false, command.toArray(String[]::new));
    assertThat(route.output().strip()).isEqualTo(receiver);
  }
}
