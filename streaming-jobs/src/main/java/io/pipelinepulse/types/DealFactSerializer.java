package io.pipelinepulse.types;

import io.pipelinepulse.deals.DealFact;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves facts from the lifecycles to the owner's team and on to the aggregates, and holds them
 * while they wait for the clock. Flink's POJO serializer reads and writes every field by
 * reflection; this writes them directly.
 */
public final class DealFactSerializer extends RecordSerializer<DealFact> {

  public static final DealFactSerializer INSTANCE = new DealFactSerializer();
  public static final SerializerTypeInfo<DealFact> TYPE = new SerializerTypeInfo<>(DealFact.class, INSTANCE);
  private static final DealFact.Kind[] KINDS = DealFact.Kind.values();

  @Override
  public DealFact createInstance() {
    return new DealFact();
  }

  @Override
  public DealFact copy(DealFact from) {
    return from.withTeam(from.team);
  }

  @Override
  public void serialize(DealFact fact, DataOutputView target) throws IOException {
    target.writeByte(fact.kind.ordinal());
    target.writeLong(fact.time);
    Texts.write(fact.pipeline, target);
    Texts.write(fact.stage, target);
    Texts.write(fact.ownerId, target);
    Texts.write(fact.team, target);
    target.writeByte((fact.advance ? 1 : 0) | (fact.won ? 2 : 0));
    target.writeLong(fact.countDelta);
    target.writeDouble(fact.amountDelta);
    target.writeDouble(fact.weightedDelta);
    target.writeDouble(fact.closedAmount);
    target.writeLong(fact.cycleMillis);
    target.writeLong(fact.createdAt);
  }

  @Override
  public DealFact deserialize(DataInputView source) throws IOException {
    DealFact fact = new DealFact();
    fact.kind = KINDS[source.readByte()];
    fact.time = source.readLong();
    fact.pipeline = Texts.read(source);
    fact.stage = Texts.read(source);
    fact.ownerId = Texts.read(source);
    fact.team = Texts.read(source);
    int flags = source.readByte();
    fact.advance = (flags & 1) != 0;
    fact.won = (flags & 2) != 0;
    fact.countDelta = source.readLong();
    fact.amountDelta = source.readDouble();
    fact.weightedDelta = source.readDouble();
    fact.closedAmount = source.readDouble();
    fact.cycleMillis = source.readLong();
    fact.createdAt = source.readLong();
    return fact;
  }

  @Override
  public TypeSerializerSnapshot<DealFact> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints; the format has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<DealFact> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
