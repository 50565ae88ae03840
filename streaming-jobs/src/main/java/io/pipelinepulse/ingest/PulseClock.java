package io.pipelinepulse.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The job's "now" (SPEC §2) for one input partition: it trails the newest commit time by the
 * out-of-orderness bound, and when the partition has been idle it follows the wall clock minus
 * the bound, so deadlines pass on a quiet day. It never runs ahead of the wall clock minus the
 * bound, so a clock-skewed future commit time cannot push it into the future.
 *
 * <p>Idleness is measured on Flink's input-activity clock, which stands still while the source
 * is back-pressured: a backfill that is merely slowed down is never mistaken for idle input
 * (which would make the rest of the backlog late).
 */
public final class PulseClock implements WatermarkGenerator<IngestedChange> {

  /** Wall-clock time in epoch milliseconds; replaceable in tests. */
  @FunctionalInterface
  public interface WallClock extends java.io.Serializable {
    long nowMillis();
  }

  private final long boundMillis;
  private final long idleTimeoutMillis;
  private final RelativeClock activityClock;
  private final WallClock wallClock;

  private long maxCommitTime = Long.MIN_VALUE;
  private long lastActivity;
  private long emitted = Long.MIN_VALUE;

  public PulseClock(long boundMillis, long idleTimeoutMillis, RelativeClock activityClock, WallClock wallClock) {
    this.boundMillis = boundMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.activityClock = activityClock;
    this.wallClock = wallClock;
    this.lastActivity = activityClock.relativeTimeMillis();
  }

  @Override
  public void onEvent(IngestedChange event, long eventTimestamp, WatermarkOutput output) {
    if (event.isReadable()) {
      maxCommitTime = Math.max(maxCommitTime, event.change.getCommitTime());
    }
    lastActivity = activityClock.relativeTimeMillis();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long ceiling = wallClock.nowMillis() - boundMillis;
    boolean idle = activityClock.relativeTimeMillis() - lastActivity >= idleTimeoutMillis;
    long candidate = idle
        ? ceiling
        : (maxCommitTime == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(ceiling, maxCommitTime - boundMillis - 1));
    if (candidate > emitted) {
      emitted = candidate;
      output.emitWatermark(new Watermark(candidate));
    }
  }
}
