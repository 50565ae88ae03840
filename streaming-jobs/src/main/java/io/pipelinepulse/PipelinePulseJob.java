package io.pipelinepulse;

import io.pipelinepulse.config.ConfigException;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.flinkmetrics.FlinkMetricsReporterFactory;
import io.pipelinepulse.topics.TopicSetupException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point. {@code --config FILE} names the configuration (defaults apply to what it leaves
 * out; given more than once, later files win); {@code --local} runs the job embedded in this JVM with the Flink web UI, otherwise it
 * runs where {@code flink run} submits it.
 */
public final class PipelinePulseJob {

  private PipelinePulseJob() {}

  public static void main(String[] args) throws Exception {
    List<Path> configFiles = new ArrayList<>();
    boolean local = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file name");
          }
          configFiles.add(Path.of(args[++i]));
        }
        case "--local" -> local = true;
        case "--help", "-h" -> {
          System.out.println("usage: PipelinePulseJob [--config FILE]... [--local]");
          return;
        }
        default -> fail("unknown option " + args[i] + " (usage: PipelinePulseJob [--config FILE]... [--local])");
      }
    }
    PulseConfig config;
    try {
      config = PulseConfigLoader.load(configFiles);
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    StreamExecutionEnvironment env = local ? localEnvironment(config) : StreamExecutionEnvironment.getExecutionEnvironment();
    configure(env, config);
    try {
      PulseTopology.attach(env, config, System::currentTimeMillis);
    } catch (TopicSetupException e) {
      fail(e.getMessage());
      return;
    }
    env.execute("Pipeline Pulse");
  }

  /**
   * Parallelism, checkpointing and restarts as configured; records passed between chained operators
   * uncopied.
   */
  public static void configure(StreamExecutionEnvironment env, PulseConfig config) {
    env.setParallelism(config.job().parallelism());
    env.enableCheckpointing(config.job().checkpointInterval().toMillis());
    env.configure(restartStrategy(config.job().restarts()));
    // Safe here: every operator emits records it made for that output and never changes them
    // afterwards, and none changes a record it received. Without it each fact is copied once for
    // every chained consumer (ten after the owner's team is resolved).
    env.getConfig().enableObjectReuse();
  }

  /** Bounded, with backoff: without one Flink restarts a job that fails on every start forever. */
  static Configuration restartStrategy(PulseConfig.RestartSettings restarts) {
    Configuration flink = new Configuration();
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, restarts.initialBackoff());
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, restarts.maxBackoff());
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, restarts.resetAfter());
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, restarts.attempts());
    return flink;
  }

  private static StreamExecutionEnvironment localEnvironment(PulseConfig config) {
    Configuration flink = new Configuration();
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(RestOptions.ADDRESS, "127.0.0.1");
    flink.set(RestOptions.PORT, config.job().webUiPort());
    flink.setString("jobmanager.bind-host", "127.0.0.1");
    flink.setString("taskmanager.bind-host", "127.0.0.1");
    flink.setString("taskmanager.host", "127.0.0.1");
    flink.setString("taskmanager.numberOfTaskSlots", String.valueOf(config.job().parallelism()));
    flinkMetrics(flink, config);
    return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
  }

  /** Flink's own metrics for Prometheus, on the job's metrics host, when a port is configured. */
  public static void flinkMetrics(Configuration flink, PulseConfig config) {
    if (config.metrics().flinkPort() > 0) {
      flink.setString("metrics.reporter.pulse.factory.class", FlinkMetricsReporterFactory.class.getName());
      flink.setString("metrics.reporter.pulse.host", config.metrics().host());
      flink.setString("metrics.reporter.pulse.port", String.valueOf(config.metrics().flinkPort()));
    }
  }

  private static void fail(String message) {
    System.err.println("Pipeline Pulse cannot start: " + message);
    System.exit(2);
  }
}
