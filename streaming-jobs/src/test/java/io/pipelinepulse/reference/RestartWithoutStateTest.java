package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart that restores no state is never silent: the job process is killed (SIGKILL) half-way
 * through a history, with no checkpoint kept; started again with the default configuration it
 * replays its input and its KPIs are the reference model's; started with committed offsets
 * chosen explicitly it serves {@code pulse_job_state_restored{source="none"} 1}.
 */
class RestartWithoutStateTest {

  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  private static KafkaTestBroker broker;

  @TempDir
  Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void aKilledJobStartedAgainWithoutStateReplaysItsInputOrSaysItHasNone() throws Exception {
    long now = System.currentTimeMillis();
    long start = (now / TEN_MINUTES) * TEN_MINUTES - 40 * DAY;
    GeneratedHistory history = new HistoryGenerator(4, MINUTE).generate(start, 39, 120);
    String input = "crm.changes.killed";
    broker.createTopic(input, 4);
    HistoryRuns.send(broker, input, history.deliveries(), 0, history.deliveries().size(), 0);
    int delivered = history.deliveries().size();
    String group = "pulse-killed-" + System.nanoTime();

    // 1. the job in a process of its own, killed half-way: no checkpoint is kept
    int firstPort = PulseJobRunner.freePort();
    Process first = startJobProcess(jobConfig(input, group, firstPort, "pulse.kpi.before-kill", ""));
    try {
      MetricsPage.awaitPage(url(firstPort), Duration.ofSeconds(120),
          page -> HistoryRuns.total(page, "pulse_input_events_total") >= delivered / 2);
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the killed job process has ended").isTrue();
    }

    // 2. started again as configured by default: it replays the input and rebuilds its state
    int port = PulseJobRunner.freePort();
    Path config = jobConfig(input, group, port, "pulse.kpi.after-kill", "");
    Process second = startJobProcess(config);
    try {
      Map<String, Double> page = HistoryRuns.completeHistory(broker, input, url(port), history);
      assertThat(page).containsEntry("pulse_job_state_restored{source=replay}", 1.0)
          .containsEntry("pulse_job_state_restored{source=none}", 0.0);
      PulseConfig loaded = PulseConfigLoader.load(config);
      ReferenceModel model = new ReferenceModel(loaded, history.changes());
      KpiTimeline timeline = new KpiTimeline(HistoryRuns.readKpis(broker, "pulse.kpi.after-kill"));
      long lastPoint = ((System.currentTimeMillis() - 3 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
      int compared = 0;
      for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
        compared += HistoryRuns.assertKpisAt(loaded, model, timeline, m, "after-kill");
      }
      assertThat(compared).isGreaterThan(1000);
    } finally {
      second.destroyForcibly();
      second.waitFor(30, TimeUnit.SECONDS);
    }

    // 3. committed offsets chosen explicitly: empty state, and the job says so
    int committedPort = PulseJobRunner.freePort();
    PulseConfig committed = PulseJobRunner.testConfig(broker, committedPort, HistoryGenerator.configYaml(),
        "kafka:\n  group-id: " + group + "\n  starting-offsets: committed\n  inputs:\n    - topic: " + input
            + "\n      format: canonical\n  topics:\n    kpi: pulse.kpi.committed\n");
    JobClient job = PulseJobRunner.start(committed);
    try {
      Map<String, Double> page = MetricsPage.awaitPage(url(committedPort), Duration.ofSeconds(60),
          p -> p.containsKey("pulse_job_state_restored{source=none}"));
      assertThat(page).containsEntry("pulse_job_state_restored{source=none}", 1.0)
          .containsEntry("pulse_job_state_restored{source=replay}", 0.0);
      assertThat(HistoryRuns.total(page, "pulse_open_deals")).as("no history before the committed offsets").isZero();
    } finally {
      job.cancel().get();
    }
  }

  private Path jobConfig(String input, String group, int metricsPort, String kpiTopic, String extra) throws Exception {
    Path file = dir.resolve(kpiTopic + ".yaml");
    Files.writeString(file, String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + broker.bootstrapServers(),
        "  group-id: " + group,
        "  create-topics: true",
        "  inputs:",
        "    - topic: " + input,
        "      format: canonical",
        "  topics:",
        "    kpi: " + kpiTopic,
        "clock:",
        "  idle-timeout: 5s",
        "  backlog-idle-timeout: 5s",
        "job:",
        "  checkpoint-interval: 1s",
        "  web-ui-port: " + PulseJobRunner.freePort(),
        "metrics:",
        "  port: " + metricsPort,
        "  flink-port: 0",
        "") + HistoryGenerator.configYaml() + extra);
    return file;
  }

  /** The job's own main, embedded (--local), in a JVM of its own that the test can kill. */
  private Process startJobProcess(Path config) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", classpath, "io.pipelinepulse.PipelinePulseJob", "--local", "--config", config.toString()));
    File log = dir.resolve(config.getFileName() + ".log").toFile();
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port + "/metrics";
  }
}
