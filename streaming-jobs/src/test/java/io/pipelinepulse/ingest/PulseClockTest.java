package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.testing.Changes;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job's "now" for one partition, driven by hand: commit times, wall clock and activity clock. */
class PulseClockTest {

  private static final long BOUND = 60_000L;
  private static final long IDLE = 10_000L;
  private static final long WALL_START = 1_767_607_200_000L; // 2026-01-05T10:00:00Z

  /** Flink's input-activity clock: stands still while the source is back-pressured. */
  static final class HandClock implements RelativeClock {
    long millis;

    void advance(long delta) {
      millis += delta;
    }

    @Override
    public long relativeTimeMillis() {
      return millis;
    }

    @Override
    public long relativeTimeNanos() {
      return millis * 1_000_000L;
    }
  }

  static final class Wall implements PulseClock.WallClock {
    long now = WALL_START;

    @Override
    public long nowMillis() {
      return now;
    }
  }

  static final class Output implements WatermarkOutput {
    final List<Long> emitted = new ArrayList<>();
    boolean idleMarked;

    @Override
    public void emitWatermark(Watermark watermark) {
      emitted.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      idleMarked = true;
    }

    @Override
    public void markActive() {
      idleMarked = false;
    }

    Long last() {
      return emitted.isEmpty() ? null : emitted.get(emitted.size() - 1);
    }
  }

  private HandClock activity;
  private Wall wall;
  private Output out;
  private PulseClock clock;

  @BeforeEach
  void setUp() {
    activity = new HandClock();
    activity.millis = 5_000_000L; // any origin: the clock is relative
    wall = new Wall();
    out = new Output();
    clock = new PulseClock(BOUND, IDLE, activity, wall);
  }

  private void event(long commitTime) {
    IngestedChange record = new IngestedChange();
    record.change = Changes.opportunity("006A", ChangeType.UPDATE, commitTime);
    clock.onEvent(record, commitTime, out);
  }

  private void unreadable() {
    IngestedChange record = new IngestedChange();
    record.deadLetter = new DeadLetter();
    clock.onEvent(record, Long.MIN_VALUE, out);
  }

  private long emit() {
    clock.onPeriodicEmit(out);
    assertThat(out.emitted).as("a watermark was emitted").isNotEmpty();
    return out.last();
  }

  @Test
  void nothingIsEmittedBeforeTheFirstEventWhileNotIdle() {
    clock.onPeriodicEmit(out);
    activity.advance(IDLE - 1);
    wall.now += IDLE - 1;
    clock.onPeriodicEmit(out);
    assertThat(out.emitted).isEmpty();
  }

  @Test
  void watermarkTrailsTheNewestCommitTimeByTheBound() {
    long t = WALL_START - 10 * 60_000L;
    event(t);
    assertThat(emit()).isEqualTo(t - BOUND - 1);

    event(t + 30_000);
    assertThat(emit()).isEqualTo(t + 30_000 - BOUND - 1);

    // an older commit time does not move it back
    event(t + 5_000);
    clock.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(t + 30_000 - BOUND - 1);
  }

  @Test
  void changeExactlyBoundOutOfOrderIsStillAfterTheWatermark() {
    long newest = WALL_START - 10 * 60_000L;
    event(newest);
    long watermark = emit();
    // a change one bound older than the newest is on time (strictly after "now") ...
    assertThat(newest - BOUND).isGreaterThan(watermark);
    // ... one millisecond older is late
    assertThat(newest - BOUND - 1).isLessThanOrEqualTo(watermark);
  }

  @Test
  void futureCommitTimeCannotPushTheWatermarkPastWallMinusBound() {
    event(WALL_START + 3_600_000L); // clock-skewed source: an hour in the future
    assertThat(emit()).isEqualTo(WALL_START - BOUND);

    wall.now += 1_000;
    activity.advance(1_000);
    assertThat(emit()).isEqualTo(WALL_START + 1_000 - BOUND);
    assertThat(out.emitted).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(wall.now - BOUND));
  }

  @Test
  void afterIdleTimeoutItFollowsTheWallClock() {
    long t = WALL_START - 10 * 60_000L;
    event(t);
    assertThat(emit()).isEqualTo(t - BOUND - 1);

    activity.advance(IDLE - 1);
    wall.now += IDLE - 1;
    clock.onPeriodicEmit(out);
    assertThat(out.last()).as("not idle yet").isEqualTo(t - BOUND - 1);

    activity.advance(1);
    wall.now += 1;
    assertThat(emit()).isEqualTo(wall.now - BOUND);

    wall.now += 123_456;
    activity.advance(123_456);
    assertThat(emit()).isEqualTo(wall.now - BOUND);
  }

  @Test
  void withoutAnyRecordItIsMarkedIdleInsteadOfTakingTheWallClock() {
    // The reader's main output never gets a record: a wall-clock watermark from it would move the
    // whole source past a backlog still being read through the partitions' own outputs.
    activity.advance(IDLE);
    wall.now += IDLE;
    clock.onPeriodicEmit(out);
    assertThat(out.emitted).isEmpty();
    assertThat(out.idleMarked).isTrue();
  }

  @Test
  void unreadableRecordsCountAsActivityButNotAsCommitTime() {
    long t = WALL_START - 10 * 60_000L;
    event(t);
    emit();
    for (int i = 0; i < 5; i++) {
      activity.advance(IDLE / 2);
      wall.now += IDLE / 2;
      unreadable();
      clock.onPeriodicEmit(out);
    }
    assertThat(out.last()).isEqualTo(t - BOUND - 1);
  }

  @Test
  void backPressuredSourceNeverGoesIdleHoweverMuchWallTimePasses() {
    long t = WALL_START - 10 * 60 * 60_000L; // a backfill: commit times ten hours old
    event(t);
    assertThat(emit()).isEqualTo(t - BOUND - 1);

    for (int i = 0; i < 100; i++) {
      wall.now += 60_000L; // 100 minutes of wall time pass; the activity clock stands still
      clock.onPeriodicEmit(out);
    }
    assertThat(out.last()).isEqualTo(t - BOUND - 1);

    // the backfill goes on: the clock follows the commit times, nothing became late
    event(t + 1_000);
    assertThat(emit()).isEqualTo(t + 1_000 - BOUND - 1);
  }

  @Test
  void watermarkNeverGoesBackwardsWhenEventsResumeAfterIdle() {
    long t = WALL_START - 10 * 60_000L;
    event(t);
    emit();
    activity.advance(IDLE);
    wall.now += IDLE;
    long idleWatermark = emit();
    assertThat(idleWatermark).isEqualTo(wall.now - BOUND);

    // a partition that resumes with older commit times must not move the clock back
    activity.advance(10);
    wall.now += 10;
    event(t + 1);
    clock.onPeriodicEmit(out);
    clock.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(idleWatermark);

    for (int i = 1; i < out.emitted.size(); i++) {
      assertThat(out.emitted.get(i)).isGreaterThan(out.emitted.get(i - 1));
    }
  }

  @Test
  void emittedWatermarksAreStrictlyIncreasingOverAMixedHistory() {
    long t = WALL_START - 60 * 60_000L;
    long[] commits = {t, t + 5_000, t + 2_000, t + 70_000, t + 65_000, WALL_START + 100_000, t + 80_000};
    for (long commit : commits) {
      activity.advance(1_000);
      wall.now += 1_000;
      event(commit);
      clock.onPeriodicEmit(out);
      activity.advance(IDLE * (commit % 2 == 0 ? 2 : 0));
      wall.now += IDLE * 2;
      clock.onPeriodicEmit(out);
    }
    for (int i = 1; i < out.emitted.size(); i++) {
      assertThat(out.emitted.get(i)).isGreaterThan(out.emitted.get(i - 1));
    }
    assertThat(out.last()).isLessThanOrEqualTo(wall.now - BOUND);
  }

  // ---------------------------------------------------------------- partitions of one reader

  private static IngestedChange record(long commitTime, long writtenAt) {
    IngestedChange record = new IngestedChange();
    record.change = Changes.opportunity("006A", ChangeType.UPDATE, commitTime);
    record.recordTimestamp = writtenAt;
    return record;
  }

  @Test
  void aPartitionReadFromABacklogWaitsForTheLongerBacklogTimeout() {
    PulseClock backlog = new PulseClock(BOUND, IDLE, 30 * IDLE, activity, wall);
    long history = WALL_START - 30L * 86_400_000L;
    backlog.onEvent(record(history, history), history, out);
    activity.advance(IDLE);
    wall.now += IDLE;
    backlog.onPeriodicEmit(out);
    assertThat(out.last()).as("a pause in a backfill is no quiet day").isEqualTo(history - BOUND - 1);
    activity.advance(29 * IDLE);
    wall.now += 29 * IDLE;
    backlog.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(wall.now - BOUND);
  }

  @Test
  void aPartitionWithABacklogDoesNotGoIdleWhileTheReaderWorksThroughAnother() {
    // Flink gives each partition an activity clock of its own; the reader's metric group is shared.
    Object reader = new Object();
    HandClock otherActivity = new HandClock();
    otherActivity.millis = activity.millis;
    clock = new PulseClock(BOUND, IDLE, IDLE, activity, wall, reader);
    PulseClock other = new PulseClock(BOUND, IDLE, IDLE, otherActivity, wall, reader);
    long history = WALL_START - 30L * 86_400_000L;
    // both partitions are being read from a backlog written long ago
    clock.onEvent(record(history, history), history, out);
    other.onEvent(record(history, history), history, new Output());
    // for a long while the reader only emits the other partition's records
    for (int i = 1; i <= 30; i++) {
      activity.advance(1_000);
      otherActivity.advance(1_000);
      wall.now += 1_000;
      other.onEvent(record(history + i, history), history + i, new Output());
    }
    clock.onPeriodicEmit(out);
    assertThat(out.last()).as("still the backlog's time, not the wall clock").isEqualTo(history - BOUND - 1);
    // then the whole reader is quiet: the backlog is done and the input is idle
    activity.advance(IDLE);
    wall.now += IDLE;
    clock.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(wall.now - BOUND);
  }

  @Test
  void aCaughtUpPartitionGoesIdleWhileAnotherPartitionOfTheReaderIsBusy() {
    PulseClock other = new PulseClock(BOUND, IDLE, activity, wall);
    long t = WALL_START - 1_000;
    clock.onEvent(record(t, WALL_START - 500), t, out);
    for (int i = 1; i <= 15; i++) {
      activity.advance(1_000);
      wall.now += 1_000;
      other.onEvent(record(wall.now - 100, wall.now - 50), wall.now - 100, new Output());
    }
    clock.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(wall.now - BOUND);
  }

  @Test
  void oldHistoryWrittenJustNowIsABacklogToo() {
    // a month-old history loaded into a running job: its records were written a moment ago
    PulseClock backlog = new PulseClock(BOUND, IDLE, 30 * IDLE, activity, wall);
    long history = WALL_START - 30L * 86_400_000L;
    backlog.onEvent(record(history, WALL_START - 10), history, out);
    activity.advance(IDLE);
    wall.now += IDLE;
    backlog.onPeriodicEmit(out);
    assertThat(out.last()).as("a pause in loading old history is no quiet day").isEqualTo(history - BOUND - 1);
  }

  @Test
  void aPartitionWokenFromIdlenessHoldsTheClockForAnIdleTimeoutBeforeItsFirstWatermark() {
    clock = new PulseClock(BOUND, IDLE, 30 * IDLE, activity, wall);
    activity.advance(IDLE);
    wall.now += IDLE;
    clock.onPeriodicEmit(out);
    assertThat(out.idleMarked).as("no record for an idle timeout").isTrue();

    long history = WALL_START - 30L * 86_400_000L;
    clock.onEvent(record(history + 86_400_000L, wall.now), history + 86_400_000L, out);
    assertThat(out.emitted).as("active again at a watermark before any valid commit time: holding, nothing late")
        .containsExactly(ChangeValidator.EARLIEST_COMMIT_TIME - 1);
    // meanwhile the other partitions' records of the same burst arrive; this one must not move the clock
    activity.advance(IDLE - 1);
    wall.now += IDLE - 1;
    clock.onPeriodicEmit(out);
    assertThat(out.emitted).containsExactly(ChangeValidator.EARLIEST_COMMIT_TIME - 1);

    activity.advance(1);
    wall.now += 1;
    clock.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(history + 86_400_000L - BOUND - 1);
  }

  @Test
  void aPartitionWithRecordsFromTheStartHasNoSettlingDelay() {
    long history = WALL_START - 30L * 86_400_000L;
    clock.onEvent(record(history, history), history, out);
    clock.onPeriodicEmit(out);
    assertThat(out.emitted).containsExactly(history - BOUND - 1);
  }
}
