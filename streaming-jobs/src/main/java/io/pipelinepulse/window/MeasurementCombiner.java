package io.pipelinepulse.window;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Measures what it receives and adds up, before the shuffle to the dimension's aggregator, the
 * measurements of one KPI, dimension and minute bucket: the aggregator adds a bucket's measurements
 * before it publishes anything of it, so one sum carries the same totals as its parts. Everything
 * gathered goes on ahead of each watermark (the clock passes nothing still held, so nothing is
 * published later than without it), before each checkpoint barrier (it holds nothing a checkpoint
 * would have to keep) and at the end of input.
 */
public final class MeasurementCombiner<T> extends AbstractStreamOperator<Measurement>
    implements OneInputStreamOperator<T, Measurement> {

  /** The measurement an input makes, null when no rolling KPI counts it. */
  @FunctionalInterface
  public interface Measurer<T> extends Serializable {
    Measurement measure(T input);
  }

  private final Measurer<T> measurer;

  private transient Map<Slot, Measurement> gathered;
  private transient StreamRecord<Measurement> outgoing;

  public MeasurementCombiner(Measurer<T> measurer) {
    this.measurer = measurer;
  }

  @Override
  public void open() throws Exception {
    super.open();
    gathered = new HashMap<>();
    outgoing = new StreamRecord<>(null);
  }

  @Override
  public void processElement(StreamRecord<T> element) {
    Measurement measurement = measurer.measure(element.getValue());
    if (measurement == null) {
      return;
    }
    // A measurement is made afresh for each input, so the first of a slot can hold the sum.
    Measurement sum = gathered.putIfAbsent(new Slot(measurement), measurement);
    if (sum != null) {
      sum.absorb(measurement);
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (gathered.isEmpty()) {
      return;
    }
    for (Measurement sum : gathered.values()) {
      output.collect(outgoing.replace(sum, sum.time));
    }
    gathered.clear();
  }

  /** A KPI, dimension and minute bucket. */
  private static final class Slot {

    private final int kpi;
    private final long bucket;
    private final String[] labels;
    private final int hash;

    Slot(Measurement measurement) {
      this.kpi = measurement.kpi;
      this.bucket = RollingWindow.bucketOf(measurement.time);
      this.labels = measurement.labels;
      this.hash = (31 * kpi + Long.hashCode(bucket)) * 31 + Arrays.hashCode(labels);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Slot slot && slot.hash == hash && slot.kpi == kpi && slot.bucket == bucket
          && Arrays.equals(slot.labels, labels);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
