package io.pipelinepulse.localstack.simulator;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulation clock: happenings run in time order, ties in the order they were planned, which
 * makes the emitted history ordered by commit time and identical for identical seeds.
 */
final class EventScheduler {

  private record Planned(long time, long order, Runnable action) {}

  private final PriorityQueue<Planned> queue =
      new PriorityQueue<>(Comparator.comparingLong(Planned::time).thenComparingLong(Planned::order));
  private long planned;
  private long now;

  EventScheduler(long start) {
    this.now = start;
  }

  long now() {
    return now;
  }

  /** Plans {@code action} at {@code time}; a time already past means "right away". */
  void at(long time, Runnable action) {
    queue.add(new Planned(Math.max(time, now), planned++, action));
  }

  /** The time of the next planned happening, or {@link Long#MAX_VALUE} when nothing is planned. */
  long nextTime() {
    Planned next = queue.peek();
    return next == null ? Long.MAX_VALUE : next.time();
  }

  /**
   * Runs the next happening if it is due by {@code until}; otherwise moves the clock to
   * {@code until} and returns false.
   */
  boolean runNext(long until) {
    Planned next = queue.peek();
    if (next == null || next.time() > until) {
      now = Math.max(now, until);
      return false;
    }
    queue.poll();
    now = next.time();
    next.action().run();
    return true;
  }
}
