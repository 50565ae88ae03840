package io.pipelinepulse.window;

import io.pipelinepulse.window.RollingWindow;

/**
 * All one dimension of a rolling KPI keeps, in one object so a measurement or a timer costs one
 * state lookup: the one-minute buckets in time order, the running total of each window, the values
 * last published, and the one timer the key has.
 *
 * <p>A bucket meets the clock in phases: it joins every window when the clock passes its end
 * (phase 0), then leaves window {@code i} one window-length later (phase {@code i + 1}). Each
 * phase meets the buckets in time order, so a cursor per phase tells which bucket is next.
 */
public class RollingState {

  static final RollingWindow[] WINDOWS = RollingWindow.values();
  static final int PHASES = WINDOWS.length + 1;
  static final long NONE = Long.MAX_VALUE;

  public int kpi;
  /** Dimension labels as name, value, name, value ... */
  public String[] labels;
  /** Per window and series, the value last published (NaN: absent or never published); null before the first. */
  public double[] published;
  /** Per window, its running totals. */
  public WindowTotals[] windows;
  /** Bucket starts and totals, in time order, at [head, head + size). */
  public long[] starts;
  public WindowTotals[] buckets;
  public int head;
  public int size;
  /** Per phase, the index (from head) of the next bucket it meets. */
  public int[] cursors;
  /** When the key's timer fires, {@link #NONE} for none. */
  public long timer = NONE;

  public RollingState() {}

  RollingState(int kpi, String[] labels) {
    this.kpi = kpi;
    this.labels = labels;
    this.windows = new WindowTotals[WINDOWS.length];
    this.starts = new long[4];
    this.buckets = new WindowTotals[4];
    this.cursors = new int[PHASES];
  }

  /** How long after its start a bucket meets {@code phase}. */
  static long offsetOf(int phase) {
    return RollingWindow.BUCKET_MILLIS + (phase == 0 ? 0 : WINDOWS[phase - 1].millis());
  }

  /**
   * The totals of the bucket starting at {@code start}, added in time order if new. A new bucket
   * is never one a phase has passed: it ends after the clock, so every cursor stays valid.
   */
  WindowTotals bucket(long start, int counters, int sums) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (starts[head + mid] < start) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low < size && starts[head + low] == start) {
      return buckets[head + low];
    }
    makeRoom();
    int at = head + low;
    System.arraycopy(starts, at, starts, at + 1, size - low);
    System.arraycopy(buckets, at, buckets, at + 1, size - low);
    starts[at] = start;
    buckets[at] = new WindowTotals(counters, sums);
    size++;
    return buckets[at];
  }

  private void makeRoom() {
    if (head + size < starts.length) {
      return;
    }
    if (head > 0 && size < starts.length / 2) {
      System.arraycopy(starts, head, starts, 0, size);
      System.arraycopy(buckets, head, buckets, 0, size);
      java.util.Arrays.fill(buckets, size, head + size, null);
    } else {
      starts = java.util.Arrays.copyOfRange(starts, head, head + Math.max(4, size * 2));
      buckets = java.util.Arrays.copyOfRange(buckets, head, head + Math.max(4, size * 2));
    }
    head = 0;
  }

  /** The bucket {@code phase} meets at {@code time}, null if none; the phase then moves past it. */
  WindowTotals meet(int phase, long time) {
    int next = cursors[phase];
    if (next < size && starts[head + next] + offsetOf(phase) == time) {
      cursors[phase]++;
      return buckets[head + next];
    }
    return null;
  }

  /** Drops the buckets the last phase has passed: they left every window. */
  void dropLeftBuckets() {
    int left = cursors[PHASES - 1];
    if (left == 0) {
      return;
    }
    java.util.Arrays.fill(buckets, head, head + left, null);
    head += left;
    size -= left;
    for (int phase = 0; phase < PHASES; phase++) {
      cursors[phase] -= left;
    }
  }

  /** The next moment a phase meets a bucket, {@link #NONE} when no bucket is left. */
  long nextMeeting() {
    long next = NONE;
    for (int phase = 0; phase < PHASES; phase++) {
      if (cursors[phase] < size) {
        next = Math.min(next, starts[head + cursors[phase]] + offsetOf(phase));
      }
    }
    return next;
  }
}
