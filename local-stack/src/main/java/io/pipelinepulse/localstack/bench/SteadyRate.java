package io.pipelinepulse.localstack.bench;

import java.util.List;

/**
 * The rate of the steady middle of a run: from the moment the count passed {@code from} of the
 * total to the moment it passed {@code to}, each moment interpolated between the two samples around
 * it. Start-up (cluster, source, first checkpoint) and the tail (the last partitions finishing
 * alone) stay out of the figure.
 */
final class SteadyRate {

  private SteadyRate() {}

  /**
   * @param samples {nanos, count} in time order, counts not decreasing
   * @return records per second between the two fractions of {@code total}, or NaN when the samples
   *     do not reach both
   */
  static double between(List<long[]> samples, long total, double from, double to) {
    double start = crossing(samples, from * total);
    double end = crossing(samples, to * total);
    if (Double.isNaN(start) || Double.isNaN(end) || end <= start) {
      return Double.NaN;
    }
    return (to - from) * total / ((end - start) / 1e9);
  }

  /** When the count reached {@code target}, in nanos, interpolated; NaN if it never did. */
  static double crossing(List<long[]> samples, double target) {
    for (int i = 1; i < samples.size(); i++) {
      long[] before = samples.get(i - 1);
      long[] after = samples.get(i);
      if (before[1] < target && after[1] >= target) {
        double share = (target - before[1]) / (double) (after[1] - before[1]);
        return before[0] + share * (after[0] - before[0]);
      }
    }
    return Double.NaN;
  }

  /**
   * Another column of the samples (e.g. CPU time read at each sample) at the moment {@code nanos},
   * interpolated between the two samples around it; NaN outside the samples.
   */
  static double valueAt(List<long[]> samples, double nanos, int column) {
    for (int i = 1; i < samples.size(); i++) {
      long[] before = samples.get(i - 1);
      long[] after = samples.get(i);
      if (before[0] <= nanos && nanos <= after[0]) {
        double share = after[0] == before[0] ? 0 : (nanos - before[0]) / (double) (after[0] - before[0]);
        return before[column] + share * (after[column] - before[column]);
      }
    }
    return Double.NaN;
  }
}
