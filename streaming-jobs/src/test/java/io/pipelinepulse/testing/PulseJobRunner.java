package io.pipelinepulse.testing;

import io.pipelinepulse.PipelinePulseJob;
import io.pipelinepulse.PulseTopology;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Starts the real job topology on the test's MiniCluster, against a test broker. */
public final class PulseJobRunner {

  private PulseJobRunner() {}

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A free port, for a static field of a test class (which cannot throw a checked exception). */
  public static int unusedPort() {
    try {
      return freePort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A MiniCluster's configuration serving Flink's own metrics for Prometheus on {@code port}. */
  /** Asserts, from the Flink metrics served on {@code flinkMetricsPort}, that the job never restarted. */
  public static void assertNeverRestarted(int flinkMetricsPort) throws Exception {
    java.util.Map<String, Double> flink = MetricsPage.scrape("http://127.0.0.1:" + flinkMetricsPort + "/metrics");
    org.assertj.core.api.Assertions.assertThat(flink.keySet())
        .anyMatch(key -> key.startsWith("flink_jobmanager_job_numRestarts{"));
    org.assertj.core.api.Assertions.assertThat(flink.entrySet().stream()
        .filter(e -> e.getKey().startsWith("flink_jobmanager_job_numRestarts{")).mapToDouble(e -> e.getValue()).sum())
        .as("restarts of the job").isZero();
  }

  /** The MiniCluster the job tests run on: one task manager with two slots, for parallelism 2. */
  public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster() {
    return new org.apache.flink.test.junit5.MiniClusterExtension(
        new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).build());
  }

  /** The same, serving Flink's own metrics in Prometheus format on {@code port}. */
  public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster(int flinkMetricsPort) {
    return new org.apache.flink.test.junit5.MiniClusterExtension(
        new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).setConfiguration(flinkMetricsOn(flinkMetricsPort)).build());
  }

  public static org.apache.flink.configuration.Configuration flinkMetricsOn(int port) {
    org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
    PipelinePulseJob.flinkMetrics(flink, PulseConfigLoader.fromYaml("metrics:\n  flink-port: " + port + "\n"));
    return flink;
  }

  /**
   * Configuration for a test: the broker, a free metrics port, a short idle timeout; the job
   * creates the topics the test did not.
   */
  public static PulseConfig testConfig(KafkaTestBroker broker, int metricsPort, String... extraYaml) {
    String base = String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + broker.bootstrapServers(),
        "  group-id: pulse-test-" + System.nanoTime(),
        "  starting-offsets: earliest",
        "  create-topics: true",
        "clock:",
        "  idle-timeout: 2s",
        "  backlog-idle-timeout: 3s",
        "job:",
        "  parallelism: 2",
        "  checkpoint-interval: 1s",
        "metrics:",
        "  port: " + metricsPort);
    String[] layers = new String[extraYaml.length + 1];
    layers[0] = base;
    System.arraycopy(extraYaml, 0, layers, 1, extraYaml.length);
    return PulseConfigLoader.fromYaml(layers);
  }

  public static JobClient start(PulseConfig config) throws Exception {
    return start(config, null);
  }

  /** Starts the job, restored from {@code savepoint} when it is not null. */
  public static JobClient start(PulseConfig config, String savepoint) throws Exception {
    org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
    if (savepoint != null) {
      flink.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    PipelinePulseJob.configure(env, config);
    PulseTopology.attach(env, config, System::currentTimeMillis);
    return env.executeAsync("pipeline-pulse-test");
  }
}
