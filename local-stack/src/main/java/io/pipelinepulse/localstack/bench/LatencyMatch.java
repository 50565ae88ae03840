package io.pipelinepulse.localstack.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Matches a series' published counts to the moments its changes were sent. The job publishes a
 * count, not which changes it holds; creations numbered in commit order are applied in that
 * order (the clock passes them in that order), so creation i is in the metric from the first
 * snapshot whose count reaches i.
 */
final class LatencyMatch {

  /** Never reached, in {@link #firstReached}. */
  static final long NEVER = Long.MAX_VALUE;

  private LatencyMatch() {}

  /**
   * @param snapshots {moment, count} of each published value, in any order
   * @param upTo the highest count of interest
   * @return index i (1..upTo) holds the earliest moment a count of at least i was published, or
   *     {@link #NEVER}; index 0 is unused
   */
  static long[] firstReached(List<long[]> snapshots, int upTo) {
    long[] reached = new long[upTo + 1];
    Arrays.fill(reached, NEVER);
    // A snapshot with count c shows every count up to c; keep the earliest per count, then carry
    // it down, since a count reached at t is also reached for every lower count.
    for (long[] snapshot : snapshots) {
      int count = (int) Math.min(upTo, snapshot[1]);
      if (count >= 1) {
        reached[count] = Math.min(reached[count], snapshot[0]);
      }
    }
    for (int i = upTo - 1; i >= 1; i--) {
      reached[i] = Math.min(reached[i], reached[i + 1]);
    }
    return reached;
  }

  /** Latencies and how many creations were never seen. */
  record Latencies(long[] millis, int neverSeen) {}

  /**
   * @param sentAt sentAt[i - 1] is when creation i was sent
   * @param from the first creation measured (1-based)
   * @param to the last creation measured, inclusive
   */
  static Latencies between(long[] sentAt, List<long[]> snapshots, int from, int to) {
    long[] reached = firstReached(snapshots, to);
    List<Long> latencies = new ArrayList<>();
    int never = 0;
    for (int i = Math.max(1, from); i <= to; i++) {
      if (reached[i] == NEVER) {
        never++;
      } else {
        latencies.add(reached[i] - sentAt[i - 1]);
      }
    }
    return new Latencies(latencies.stream().mapToLong(Long::longValue).toArray(), never);
  }
}
