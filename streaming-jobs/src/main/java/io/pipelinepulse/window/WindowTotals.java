package io.pipelinepulse.window;

/**
 * What a rolling KPI adds up for one bucket or one window: counters, sums, a histogram of
 * durations; and a current-state count that windows do not take away (e.g. open deals now).
 */
public class WindowTotals {

  public long[] counts;
  public double[] sums;
  public LogHistogram histogram;
  public long current;

  public WindowTotals() {}

  public WindowTotals(int counters, int sumCount) {
    counts = new long[counters];
    sums = new double[sumCount];
    histogram = new LogHistogram();
  }

  public void add(Measurement m) {
    for (int i = 0; i < counts.length && i < m.counts.length; i++) {
      counts[i] += m.counts[i];
    }
    for (int i = 0; i < sums.length && i < m.sums.length; i++) {
      sums[i] += m.sums[i];
    }
    m.addSamplesTo(histogram);
    current += m.currentDelta;
  }

  /** Adds (sign 1) or takes away (sign -1) a bucket's windowed totals; current is not windowed. */
  public void addWindowed(WindowTotals bucket, int sign) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += sign * bucket.counts[i];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += sign * bucket.sums[i];
    }
    histogram.addAll(bucket.histogram, sign);
  }

  public boolean isEmpty() {
    for (long count : counts) {
      if (count != 0) {
        return false;
      }
    }
    return histogram.total == 0 && current == 0;
  }
}
