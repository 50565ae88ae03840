package io.pipelinepulse.window;

import java.util.Arrays;

/**
 * A mergeable histogram on a logarithmic scale for quantiles of durations: every positive value
 * falls in a bucket (g^(i-1), g^i] with g = (1 + a) / (1 - a), and a quantile is reported as the
 * middle of its bucket, within {@link #RELATIVE_ACCURACY} of the exact value at that rank. Counts
 * can be added and taken away again, which is what a rolling window needs; memory grows with the
 * spread of the values (about 230 buckets per factor of 10^10), not with their number.
 */
public class LogHistogram {

  /** Quantiles are within 1% of the exact value of the same rank. */
  public static final double RELATIVE_ACCURACY = 0.01;

  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LOG_GAMMA = Math.log(GAMMA);

  /** Bucket indexes in ascending order, and their counts. */
  public int[] indexes = new int[0];
  public long[] counts = new long[0];
  /** Values of zero or less (a lead touched in the instant it was created). */
  public long zeroCount;
  public long total;

  public LogHistogram() {}

  public LogHistogram copy() {
    LogHistogram copy = new LogHistogram();
    copy.indexes = indexes.clone();
    copy.counts = counts.clone();
    copy.zeroCount = zeroCount;
    copy.total = total;
    return copy;
  }

  public void add(double value) {
    addCount(value, 1);
  }

  /** Adds {@code count} values (a negative count takes them away). */
  public void addCount(double value, long count) {
    total += count;
    if (!(value > 0)) {
      zeroCount += count;
      return;
    }
    addToBucket((int) Math.ceil(Math.log(value) / LOG_GAMMA), count);
  }

  /** Adds every value of {@code other}, {@code sign} times (-1 takes them away). */
  public void addAll(LogHistogram other, int sign) {
    zeroCount += sign * other.zeroCount;
    total += sign * other.total;
    for (int i = 0; i < other.indexes.length; i++) {
      addToBucket(other.indexes[i], sign * other.counts[i]);
    }
  }

  /**
   * The value at rank ceil(q * n) of the n values (1-based), or null when there are none.
   */
  /** {@link #quantile} as a primitive: NaN when there are no values. */
  public double quantileOrAbsent(double q) {
    Double value = quantile(q);
    return value == null ? Double.NaN : value;
  }

  public Double quantile(double q) {
    if (total <= 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    if (rank <= zeroCount) {
      return 0.0;
    }
    long seen = zeroCount;
    for (int i = 0; i < indexes.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return 2 * Math.pow(GAMMA, indexes[i]) / (GAMMA + 1);
      }
    }
    return 2 * Math.pow(GAMMA, indexes[indexes.length - 1]) / (GAMMA + 1);
  }

  private void addToBucket(int index, long count) {
    int at = Arrays.binarySearch(indexes, index);
    if (at >= 0) {
      counts[at] += count;
      if (counts[at] == 0) {
        indexes = remove(indexes, at);
        counts = remove(counts, at);
      }
      return;
    }
    int insert = -at - 1;
    int[] newIndexes = new int[indexes.length + 1];
    long[] newCounts = new long[counts.length + 1];
    System.arraycopy(indexes, 0, newIndexes, 0, insert);
    System.arraycopy(counts, 0, newCounts, 0, insert);
    newIndexes[insert] = index;
    newCounts[insert] = count;
    System.arraycopy(indexes, insert, newIndexes, insert + 1, indexes.length - insert);
    System.arraycopy(counts, insert, newCounts, insert + 1, counts.length - insert);
    indexes = newIndexes;
    counts = newCounts;
  }

  private static int[] remove(int[] array, int at) {
    int[] shorter = new int[array.length - 1];
    System.arraycopy(array, 0, shorter, 0, at);
    System.arraycopy(array, at + 1, shorter, at, array.length - at - 1);
    return shorter;
  }

  private static long[] remove(long[] array, int at) {
    long[] shorter = new long[array.length - 1];
    System.arraycopy(array, 0, shorter, 0, at);
    System.arraycopy(array, at + 1, shorter, at, array.length - at - 1);
    return shorter;
  }
}
