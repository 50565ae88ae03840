package io.pipelinepulse.localstack.bench;

import java.util.Arrays;

/** Nearest-rank percentiles: always a value that was measured, never an interpolation between two. */
final class Percentiles {

  private Percentiles() {}

  /**
   * @param values any order; not changed
   * @param p in (0, 100]
   * @return the smallest value with at least p% of the values at or below it; NaN when there are none
   */
  static double of(long[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }
}
