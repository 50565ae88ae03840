package io.pipelinepulse.window;

/**
 * One contribution to a rolling KPI of one dimension at one moment: counters, sums, an optional
 * duration sample (NaN for none) and a change of a current-state count.
 */
public class Measurement {

  /** Which of its aggregator's rolling KPIs this measures. */
  public int kpi;
  public long time;
  /** Dimension labels as name, value, name, value ...; they also make the key. */
  public String[] labels;
  public long[] counts = new long[0];
  public double[] sums = new double[0];
  public double sample = Double.NaN;
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

  /** The aggregation key: the KPI and its dimension. */
  public String key() {
    return kpi + "\u0000" + String.join("\u0000", labels);
  }
}
