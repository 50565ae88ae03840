package io.pipelinepulse.types;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves canonical changes between operators: every change crosses two shuffles, and Flink's
 * generic Avro serializer (schema-driven, with a deep copy per hand-over) was a sixth of the
 * job's work. Field values keep their Java type (null, Boolean, Long, Double, String).
 */
public final class CrmChangeSerializer extends RecordSerializer<CrmChange> {

  public static final CrmChangeSerializer INSTANCE = new CrmChangeSerializer();
  public static final SerializerTypeInfo<CrmChange> TYPE = new SerializerTypeInfo<>(CrmChange.class, INSTANCE);

  private static final Entity[] ENTITIES = Entity.values();
  private static final ChangeType[] CHANGE_TYPES = ChangeType.values();
  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte STRING = 4;

  @Override
  public CrmChange createInstance() {
    return new CrmChange();
  }

  @Override
  public CrmChange copy(CrmChange from) {
    // Field values are immutable; the map is the only thing to copy.
    return new CrmChange(from.getEventId(), from.getOrigin(), from.getEntity(), from.getRecordId(),
        from.getChangeType(), from.getCommitTime(), from.getSequence(), new HashMap<>(from.getFields()));
  }

  @Override
  public void serialize(CrmChange change, DataOutputView target) throws IOException {
    Texts.write(change.getEventId(), target);
    Texts.write(change.getOrigin(), target);
    target.writeByte(change.getEntity().ordinal());
    Texts.write(change.getRecordId(), target);
    target.writeByte(change.getChangeType().ordinal());
    target.writeLong(change.getCommitTime());
    target.writeLong(change.getSequence());
    Map<String, Object> fields = change.getFields();
    target.writeInt(fields.size());
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      Texts.write(field.getKey(), target);
      writeValue(field.getValue(), target);
    }
  }

  private static void writeValue(Object value, DataOutputView target) throws IOException {
    if (value == null) {
      target.writeByte(NULL);
    } else if (value instanceof Boolean b) {
      target.writeByte(BOOLEAN);
      target.writeBoolean(b);
    } else if (value instanceof Long l) {
      target.writeByte(LONG);
      target.writeLong(l);
    } else if (value instanceof Double d) {
      target.writeByte(DOUBLE);
      target.writeDouble(d);
    } else {
      target.writeByte(STRING);
      Texts.write(value.toString(), target);
    }
  }

  @Override
  public CrmChange deserialize(DataInputView source) throws IOException {
    String eventId = Texts.read(source);
    String origin = Texts.read(source);
    Entity entity = ENTITIES[source.readByte()];
    String recordId = Texts.read(source);
    ChangeType changeType = CHANGE_TYPES[source.readByte()];
    long commitTime = source.readLong();
    long sequence = source.readLong();
    int count = source.readInt();
    Map<String, Object> fields = new HashMap<>(Math.max(4, count * 2));
    for (int i = 0; i < count; i++) {
      fields.put(Texts.read(source), readValue(source));
    }
    return new CrmChange(eventId, origin, entity, recordId, changeType, commitTime, sequence, fields);
  }

  private static Object readValue(DataInputView source) throws IOException {
    byte tag = source.readByte();
    return switch (tag) {
      case NULL -> null;
      case BOOLEAN -> source.readBoolean();
      case LONG -> source.readLong();
      case DOUBLE -> source.readDouble();
      case STRING -> Texts.read(source);
      default -> throw new IOException("unknown field value tag " + tag);
    };
  }

  @Override
  public TypeSerializerSnapshot<CrmChange> snapshotConfiguration() {
    return new TextsOfAnyLength();
  }

  /**
   * Restores the serializer from savepoints of this format (texts of any length). The snapshot
   * class of the earlier format is gone, so its savepoints are refused rather than misread.
   */
  public static final class TextsOfAnyLength extends SimpleTypeSerializerSnapshot<CrmChange> {
    public TextsOfAnyLength() {
      super(() -> INSTANCE);
    }
  }
}
