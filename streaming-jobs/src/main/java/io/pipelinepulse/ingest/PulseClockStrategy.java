package io.pipelinepulse.ingest;

import io.pipelinepulse.config.PulseConfig.ClockSettings;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of an input record is its commit time; the watermark is {@link PulseClock}. */
public final class PulseClockStrategy {

  private PulseClockStrategy() {}

  public static WatermarkStrategy<IngestedChange> of(ClockSettings clock, PulseClock.WallClock wallClock) {
    long bound = clock.outOfOrderness().toMillis();
    long idle = clock.idleTimeout().toMillis();
    long backlogIdle = clock.backlogIdleTimeout().toMillis();
    SerializableTimestampAssigner<IngestedChange> commitTime =
        (record, kafkaTimestamp) -> record.isReadable() ? record.change.getCommitTime() : Long.MIN_VALUE;
    return WatermarkStrategy.<IngestedChange>forGenerator(
            context -> new PulseClock(bound, idle, backlogIdle, context.getInputActivityClock(), wallClock,
                context.getMetricGroup()))
        .withTimestampAssigner(commitTime);
  }
}
