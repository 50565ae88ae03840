package io.pipelinepulse.ingest;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The job's "now" (SPEC §2) for one input partition: it trails the newest commit time by the
 * out-of-orderness bound, and when the partition is idle it follows the wall clock minus the
 * bound, so deadlines pass on a quiet day. It never runs ahead of the wall clock minus the bound,
 * so a clock-skewed future commit time cannot push it into the future.
 *
 * <p>Idle is judged on Flink's input-activity clock (which stands still while the source is
 * back-pressured). A partition that was caught up (its last record had just been written to Kafka
 * when it was read) is idle after the idle timeout with no record. A partition read from a
 * backlog is idle only after the longer backlog timeout, and only when the whole source reader
 * has had no record for that long: a pause in a backfill (the reader busy with another partition,
 * or the job slowed down by its own work) is not a quiet day, and taking the wall clock then would
 * make the rest of the backlog late.
 */
public final class PulseClock implements WatermarkGenerator<IngestedChange> {

  /** Wall-clock time in epoch milliseconds; replaceable in tests. */
  @FunctionalInterface
  public interface WallClock extends java.io.Serializable {
    long nowMillis();
  }

  /** When any partition of one source reader last had a record; shared by its partitions' clocks. */
  private static final class ReaderActivity {
    long lastRecord;
  }

  /** One activity record per source reader, which owns one input-activity clock. */
  private static final Map<RelativeClock, ReaderActivity> READERS = Collections.synchronizedMap(new WeakHashMap<>());

  private final long boundMillis;
  private final long idleTimeoutMillis;
  private final long backlogIdleTimeoutMillis;
  private final RelativeClock activityClock;
  private final WallClock wallClock;
  private final ReaderActivity reader;

  private long maxCommitTime = Long.MIN_VALUE;
  private long lastActivity;
  /** Whether the last record had just been written when read; unknown before the first record. */
  private boolean caughtUp;
  private boolean seenRecord;
  private boolean markedIdle;
  private long emitted = Long.MIN_VALUE;

  public PulseClock(long boundMillis, long idleTimeoutMillis, RelativeClock activityClock, WallClock wallClock) {
    this(boundMillis, idleTimeoutMillis, idleTimeoutMillis, activityClock, wallClock);
  }

  public PulseClock(long boundMillis, long idleTimeoutMillis, long backlogIdleTimeoutMillis,
      RelativeClock activityClock, WallClock wallClock) {
    this.boundMillis = boundMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.backlogIdleTimeoutMillis = backlogIdleTimeoutMillis;
    this.activityClock = activityClock;
    this.wallClock = wallClock;
    this.lastActivity = activityClock.relativeTimeMillis();
    this.reader = READERS.computeIfAbsent(activityClock, clock -> {
      ReaderActivity activity = new ReaderActivity();
      activity.lastRecord = clock.relativeTimeMillis();
      return activity;
    });
  }

  @Override
  public void onEvent(IngestedChange event, long eventTimestamp, WatermarkOutput output) {
    if (event.isReadable()) {
      maxCommitTime = Math.max(maxCommitTime, event.change.getCommitTime());
    }
    lastActivity = activityClock.relativeTimeMillis();
    reader.lastRecord = lastActivity;
    seenRecord = true;
    markedIdle = false;
    caughtUp = event.recordTimestamp >= 0 && wallClock.nowMillis() - event.recordTimestamp < idleTimeoutMillis;
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long ceiling = wallClock.nowMillis() - boundMillis;
    long now = activityClock.relativeTimeMillis();
    if (!seenRecord) {
      // No record yet: this may be a partition whose records wait behind another's backlog, or
      // the reader's main output, which never gets records at all. Taking the wall clock here
      // would move the whole source's clock past the backlog. Marked idle instead, it simply
      // stops holding the other partitions back.
      if (!markedIdle && now - lastActivity >= idleTimeoutMillis) {
        markedIdle = true;
        output.markIdle();
      }
      return;
    }
    boolean idle;
    if (caughtUp) {
      idle = now - lastActivity >= idleTimeoutMillis;
    } else {
      idle = now - lastActivity >= backlogIdleTimeoutMillis && now - reader.lastRecord >= backlogIdleTimeoutMillis;
    }
    long candidate = idle
        ? ceiling
        : (maxCommitTime == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(ceiling, maxCommitTime - boundMillis - 1));
    if (candidate > emitted) {
      emitted = candidate;
      output.emitWatermark(new Watermark(candidate));
    }
  }
}
