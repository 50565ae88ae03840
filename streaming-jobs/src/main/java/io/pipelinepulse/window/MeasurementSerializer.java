package io.pipelinepulse.window;

import io.pipelinepulse.types.RecordSerializer;
import io.pipelinepulse.types.SerializerTypeInfo;
import io.pipelinepulse.types.Texts;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves measurements to their rolling aggregation. Flink's POJO serializer reads and writes every
 * field by reflection; this writes them directly.
 */
public final class MeasurementSerializer extends RecordSerializer<Measurement> {

  public static final MeasurementSerializer INSTANCE = new MeasurementSerializer();
  public static final SerializerTypeInfo<Measurement> TYPE = new SerializerTypeInfo<>(Measurement.class, INSTANCE);

  @Override
  public Measurement createInstance() {
    return new Measurement();
  }

  @Override
  public Measurement copy(Measurement from) {
    Measurement copy = new Measurement(from.time, from.labels.clone());
    copy.kpi = from.kpi;
    copy.counts = from.counts.clone();
    copy.sums = from.sums.clone();
    copy.sample = from.sample;
    copy.samples = from.samples == null ? null : from.samples.copy();
    copy.currentDelta = from.currentDelta;
    return copy;
  }

  @Override
  public void serialize(Measurement measurement, DataOutputView target) throws IOException {
    target.writeByte(measurement.kpi);
    target.writeLong(measurement.time);
    target.writeByte(measurement.labels.length);
    for (String label : measurement.labels) {
      Texts.write(label, target);
    }
    target.writeByte(measurement.counts.length);
    for (long count : measurement.counts) {
      target.writeLong(count);
    }
    target.writeByte(measurement.sums.length);
    for (double sum : measurement.sums) {
      target.writeDouble(sum);
    }
    target.writeDouble(measurement.sample);
    writeSamples(measurement.samples, target);
    target.writeLong(measurement.currentDelta);
  }

  @Override
  public Measurement deserialize(DataInputView source) throws IOException {
    Measurement measurement = new Measurement();
    measurement.kpi = source.readUnsignedByte();
    measurement.time = source.readLong();
    measurement.labels = new String[source.readUnsignedByte()];
    for (int i = 0; i < measurement.labels.length; i++) {
      measurement.labels[i] = Texts.read(source);
    }
    measurement.counts = new long[source.readUnsignedByte()];
    for (int i = 0; i < measurement.counts.length; i++) {
      measurement.counts[i] = source.readLong();
    }
    measurement.sums = new double[source.readUnsignedByte()];
    for (int i = 0; i < measurement.sums.length; i++) {
      measurement.sums[i] = source.readDouble();
    }
    measurement.sample = source.readDouble();
    measurement.samples = readSamples(source);
    measurement.currentDelta = source.readLong();
    return measurement;
  }

  /** A histogram as its bucket count (-1 for none), zero count, total, then index and count per bucket. */
  private static void writeSamples(LogHistogram samples, DataOutputView target) throws IOException {
    if (samples == null) {
      target.writeInt(-1);
      return;
    }
    target.writeInt(samples.indexes.length);
    target.writeLong(samples.zeroCount);
    target.writeLong(samples.total);
    for (int i = 0; i < samples.indexes.length; i++) {
      target.writeInt(samples.indexes[i]);
      target.writeLong(samples.counts[i]);
    }
  }

  private static LogHistogram readSamples(DataInputView source) throws IOException {
    int buckets = source.readInt();
    if (buckets < 0) {
      return null;
    }
    LogHistogram samples = new LogHistogram();
    samples.zeroCount = source.readLong();
    samples.total = source.readLong();
    samples.indexes = new int[buckets];
    samples.counts = new long[buckets];
    for (int i = 0; i < buckets; i++) {
      samples.indexes[i] = source.readInt();
      samples.counts[i] = source.readLong();
    }
    return samples;
  }

  @Override
  public TypeSerializerSnapshot<Measurement> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints; the format has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Measurement> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
