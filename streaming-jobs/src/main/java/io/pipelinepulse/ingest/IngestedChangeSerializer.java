package io.pipelinepulse.ingest;

import io.pipelinepulse.types.Texts;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.types.CrmChangeSerializer;
import io.pipelinepulse.types.RecordSerializer;
import io.pipelinepulse.types.SerializerTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves read input records from the source to the de-duplication. The change goes through
 * {@link CrmChangeSerializer}; a dead letter (rare: unreadable records leave before the shuffle)
 * in its Avro encoding.
 */
public final class IngestedChangeSerializer extends RecordSerializer<IngestedChange> {

  public static final IngestedChangeSerializer INSTANCE = new IngestedChangeSerializer();
  public static final SerializerTypeInfo<IngestedChange> TYPE =
      new SerializerTypeInfo<>(IngestedChange.class, INSTANCE);

  @Override
  public IngestedChange createInstance() {
    return new IngestedChange();
  }

  @Override
  public IngestedChange copy(IngestedChange from) {
    IngestedChange copy = new IngestedChange();
    copy.change = from.change == null ? null : CrmChangeSerializer.INSTANCE.copy(from.change);
    copy.deadLetter = from.deadLetter == null ? null : Codecs.deadLetter().decode(Codecs.deadLetter().encode(from.deadLetter));
    copy.gap = from.gap == null ? null : Codecs.gapEvent().decode(Codecs.gapEvent().encode(from.gap));
    copy.gapEntity = from.gapEntity;
    copy.format = from.format;
    copy.topic = from.topic;
    copy.partition = from.partition;
    copy.offset = from.offset;
    copy.recordTimestamp = from.recordTimestamp;
    return copy;
  }

  @Override
  public void serialize(IngestedChange record, DataOutputView target) throws IOException {
    target.writeBoolean(record.change != null);
    if (record.change != null) {
      CrmChangeSerializer.INSTANCE.serialize(record.change, target);
    }
    byte[] letter = record.deadLetter == null ? null : Codecs.deadLetter().encode(record.deadLetter);
    target.writeInt(letter == null ? -1 : letter.length);
    if (letter != null) {
      target.write(letter);
    }
    byte[] gap = record.gap == null ? null : Codecs.gapEvent().encode(record.gap);
    target.writeInt(gap == null ? -1 : gap.length);
    if (gap != null) {
      target.write(gap);
      Texts.write(record.gapEntity, target);
    }
    Texts.write(record.format, target);
    Texts.write(record.topic, target);
    target.writeInt(record.partition);
    target.writeLong(record.offset);
    target.writeLong(record.recordTimestamp);
  }

  @Override
  public IngestedChange deserialize(DataInputView source) throws IOException {
    IngestedChange record = new IngestedChange();
    if (source.readBoolean()) {
      record.change = CrmChangeSerializer.INSTANCE.deserialize(source);
    }
    int letterLength = source.readInt();
    if (letterLength >= 0) {
      byte[] letter = new byte[letterLength];
      source.readFully(letter);
      record.deadLetter = Codecs.deadLetter().decode(letter);
    }
    int gapLength = source.readInt();
    if (gapLength >= 0) {
      byte[] gap = new byte[gapLength];
      source.readFully(gap);
      record.gap = Codecs.gapEvent().decode(gap);
      record.gapEntity = Texts.read(source);
    }
    record.format = Texts.read(source);
    record.topic = Texts.read(source);
    record.partition = source.readInt();
    record.offset = source.readLong();
    record.recordTimestamp = source.readLong();
    return record;
  }

  @Override
  public TypeSerializerSnapshot<IngestedChange> snapshotConfiguration() {
    return new TextsOfAnyLength();
  }

  /**
   * Restores the serializer from savepoints of this format (texts of any length). The snapshot
   * class of the earlier format is gone, so its savepoints are refused rather than misread.
   */
  public static final class TextsOfAnyLength extends SimpleTypeSerializerSnapshot<IngestedChange> {
    public TextsOfAnyLength() {
      super(() -> INSTANCE);
    }
  }
}
