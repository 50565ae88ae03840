package io.pipelinepulse.window;

import java.util.Arrays;

/**
 * One contribution to a rolling KPI of one dimension: counters, sums, duration samples and a change
 * of a current-state count. A fact makes one, with at most one sample; {@link MeasurementCombiner}
 * adds up those of one dimension and minute bucket into one, whose samples then travel as a
 * histogram.
 */
public class Measurement {

  /** Which of its aggregator's rolling KPIs this measures. */
  public int kpi;
  public long time;
  /** Dimension labels as name, value, name, value ...; they also make the key. */
  public String[] labels;
  public long[] counts = new long[0];
  public double[] sums = new double[0];
  /** One duration sample, NaN for none. */
  public double sample = Double.NaN;
  /** Further samples, null for none. */
  public LogHistogram samples;
  public long currentDelta;

  public Measurement() {}

  public Measurement(long time, String... labels) {
    this.time = time;
    this.labels = labels;
  }

  public Measurement counts(long... values) {
    this.counts = values;
    return this;
  }

  public Measurement sums(double... values) {
    this.sums = values;
    return this;
  }

  public Measurement sample(double value) {
    this.sample = value;
    return this;
  }

  public Measurement currentDelta(long delta) {
    this.currentDelta = delta;
    return this;
  }

  public Measurement kpi(int index) {
    this.kpi = index;
    return this;
  }

  /** Adds {@code other}'s counters, sums, samples and current-state change to this one's. */
  public void absorb(Measurement other) {
    if (other.counts.length > counts.length) {
      counts = Arrays.copyOf(counts, other.counts.length);
    }
    for (int i = 0; i < other.counts.length; i++) {
      counts[i] += other.counts[i];
    }
    if (other.sums.length > sums.length) {
      sums = Arrays.copyOf(sums, other.sums.length);
    }
    for (int i = 0; i < other.sums.length; i++) {
      sums[i] += other.sums[i];
    }
    if (!Double.isNaN(other.sample) || other.samples != null) {
      if (samples == null) {
        samples = new LogHistogram();
      }
      if (!Double.isNaN(other.sample)) {
        samples.add(other.sample);
      }
      if (other.samples != null) {
        samples.addAll(other.samples, 1);
      }
    }
    currentDelta += other.currentDelta;
  }

  /** Adds this measurement's samples to {@code histogram}. */
  void addSamplesTo(LogHistogram histogram) {
    if (!Double.isNaN(sample)) {
      histogram.add(sample);
    }
    if (samples != null) {
      histogram.addAll(samples, 1);
    }
  }

  /** The aggregation key: the KPI and its dimension. */
  public String key() {
    return kpi + "\u0000" + String.join("\u0000", labels);
  }
}
