package io.pipelinepulse.types;

import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves KPI snapshots between operators. The job emits several snapshots per input change, and
 * Flink's generic Avro serializer (schema-driven, with a deep copy per hand-over) cost more than
 * the KPIs themselves; this writes the five fields directly. Label order is kept.
 */
public final class KpiSnapshotSerializer extends RecordSerializer<KpiSnapshot> {

  public static final KpiSnapshotSerializer INSTANCE = new KpiSnapshotSerializer();
  public static final SerializerTypeInfo<KpiSnapshot> TYPE = new SerializerTypeInfo<>(KpiSnapshot.class, INSTANCE);
  private static final MetricKind[] KINDS = MetricKind.values();

  @Override
  public KpiSnapshot createInstance() {
    return new KpiSnapshot();
  }

  @Override
  public KpiSnapshot copy(KpiSnapshot from) {
    return new KpiSnapshot(from.getMetric(), from.getKind(), new LinkedHashMap<>(from.getLabels()), from.getValue(),
        from.getAsOf());
  }

  @Override
  public void serialize(KpiSnapshot record, DataOutputView target) throws IOException {
    Texts.write(record.getMetric(), target);
    target.writeByte(record.getKind().ordinal());
    Map<String, String> labels = record.getLabels();
    target.writeShort(labels.size());
    for (Map.Entry<String, String> label : labels.entrySet()) {
      Texts.write(label.getKey(), target);
      Texts.write(label.getValue(), target);
    }
    Double value = record.getValue();
    target.writeBoolean(value != null);
    if (value != null) {
      target.writeDouble(value);
    }
    target.writeLong(record.getAsOf());
  }

  @Override
  public KpiSnapshot deserialize(DataInputView source) throws IOException {
    String metric = Texts.read(source);
    MetricKind kind = KINDS[source.readByte()];
    int count = source.readShort();
    Map<String, String> labels = new LinkedHashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      labels.put(Texts.read(source), Texts.read(source));
    }
    Double value = source.readBoolean() ? source.readDouble() : null;
    return new KpiSnapshot(metric, kind, labels, value, source.readLong());
  }

  @Override
  public TypeSerializerSnapshot<KpiSnapshot> snapshotConfiguration() {
    return new TextsOfAnyLength();
  }

  /**
   * Restores the serializer from savepoints of this format (texts of any length). The snapshot
   * class of the earlier format is gone, so its savepoints are refused rather than misread.
   */
  public static final class TextsOfAnyLength extends SimpleTypeSerializerSnapshot<KpiSnapshot> {
    public TextsOfAnyLength() {
      super(() -> INSTANCE);
    }
  }
}
