package io.pipelinepulse.ingest;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The job's "now" (README, "The clock, late and bad input") for one input partition: it trails
 * the newest commit time by the out-of-orderness bound, and when the partition is idle it follows
 * the wall clock minus the bound, so deadlines pass on a quiet day. It never runs ahead of the
 * wall clock minus the bound, so a clock-skewed future commit time cannot push it into the future.
 *
 * <p>Idle is judged on Flink's input-activity clock (which stands still while the source is
 * back-pressured). A partition that was caught up (its last record had just been written to Kafka
 * when it was read, and committed in the CRM just before) is idle after the idle timeout with no
 * record. A partition read from a backlog (a backfill, a restart, or old history loaded into a
 * running job) is idle only after the longer backlog timeout, and only when the whole source
 * reader has had no record for that long: a pause in a backfill (the reader busy with another
 * partition, or the job slowed down by its own work) is not a quiet day, and taking the wall clock
 * then would make the rest of the backlog late.
 *
 * <p>A partition that has had no record yet is marked idle after the idle timeout, so an empty
 * partition does not hold the clock back for ever. When records then arrive, the other partitions
 * may still be marked idle, and their records may be a few milliseconds behind in the same burst
 * (a history loaded into a job that has waited for it): a watermark from this partition alone
 * would make them late. So a partition woken from that idleness holds the clock where it is for
 * one idle timeout before its first watermark, long enough for the rest of the burst to arrive.
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

  /**
   * One activity record per source reader. Each partition has its own input-activity clock; what
   * its partitions' clocks share is the reader's metric group, which keys this map.
   */
  private static final Map<Object, ReaderActivity> READERS = Collections.synchronizedMap(new WeakHashMap<>());

  /** The watermark of a partition woken from idleness while it holds the clock. */
  static final long HOLD = ChangeValidator.EARLIEST_COMMIT_TIME - 1;

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
  /** When a first record woke this partition from idleness, on the activity clock; -1 once it has settled. */
  private long wokenAt = -1;
  private long emitted = Long.MIN_VALUE;

  public PulseClock(long boundMillis, long idleTimeoutMillis, RelativeClock activityClock, WallClock wallClock) {
    this(boundMillis, idleTimeoutMillis, idleTimeoutMillis, activityClock, wallClock);
  }

  public PulseClock(long boundMillis, long idleTimeoutMillis, long backlogIdleTimeoutMillis,
      RelativeClock activityClock, WallClock wallClock) {
    this(boundMillis, idleTimeoutMillis, backlogIdleTimeoutMillis, activityClock, wallClock, activityClock);
  }

  /**
   * @param readerKey the same object for every partition of one source reader (its metric group)
   */
  public PulseClock(long boundMillis, long idleTimeoutMillis, long backlogIdleTimeoutMillis,
      RelativeClock activityClock, WallClock wallClock, Object readerKey) {
    this.boundMillis = boundMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.backlogIdleTimeoutMillis = backlogIdleTimeoutMillis;
    this.activityClock = activityClock;
    this.wallClock = wallClock;
    this.lastActivity = activityClock.relativeTimeMillis();
    this.reader = READERS.computeIfAbsent(readerKey, key -> {
      ReaderActivity activity = new ReaderActivity();
      activity.lastRecord = activityClock.relativeTimeMillis();
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
    if (markedIdle && !seenRecord) {
      wokenAt = lastActivity;
      // A watermark makes this partition active again, so it holds the source's clock from now
      // on; just before the earliest valid commit time, it makes nothing late.
      emitted = HOLD;
      output.emitWatermark(new Watermark(emitted));
    }
    seenRecord = true;
    markedIdle = false;
    long wall = wallClock.nowMillis();
    boolean writtenJustNow = event.recordTimestamp >= 0 && wall - event.recordTimestamp < idleTimeoutMillis;
    // old history written just now (loaded into a running job) is a backlog too
    boolean committedJustNow = !event.isReadable()
        || wall - event.change.getCommitTime() <= boundMillis + idleTimeoutMillis;
    caughtUp = writtenJustNow && committedJustNow;
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
    if (wokenAt >= 0) {
      if (now - wokenAt < idleTimeoutMillis) {
        return;
      }
      wokenAt = -1;
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
