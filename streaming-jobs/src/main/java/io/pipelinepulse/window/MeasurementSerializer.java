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
 * Moves measurements to their rolling aggregation, one per fact. Flink's POJO serializer reads and
 * writes every field by reflection; this writes them directly.
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
    measurement.currentDelta = source.readLong();
    return measurement;
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
