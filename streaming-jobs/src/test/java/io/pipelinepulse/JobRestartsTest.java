package io.pipelinepulse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job that fails on every start is restarted with backoff a bounded number of times, then stops as failed. */
class JobRestartsTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  private static final AtomicInteger STARTS = new AtomicInteger();

  @Test
  void aJobFailingOnEveryStartStopsAfterTheConfiguredAttemptsWithGrowingBackoff() {
    PulseConfig config = PulseConfigLoader.fromYaml("""
        job:
          parallelism: 1
          restarts:
            attempts: 3
            initial-backoff: 400ms
            max-backoff: 1s
            reset-after: 1h
        """);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    PipelinePulseJob.configure(env, config);
    env.fromSequence(1, 10)
        .map(value -> {
          if (value == 1) {
            STARTS.incrementAndGet();
          }
          if (value == 5) {
            throw new IllegalStateException("fails on every start");
          }
          return value;
        }, Types.LONG)
        .sinkTo(new DiscardingSink<>());

    long started = System.nanoTime();
    assertThatThrownBy(env::execute).hasStackTraceContaining("fails on every start");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(STARTS.get()).as("the first run and three restarts").isEqualTo(4);
    // backoffs of about 0.4 s, 0.8 s and 1 s (10% jitter), not Flink's restarts without end
    assertThat(took).isGreaterThan(Duration.ofMillis(1_800));
  }
}
