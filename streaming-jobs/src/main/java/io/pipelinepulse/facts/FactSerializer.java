package io.pipelinepulse.facts;

import io.pipelinepulse.types.RecordSerializer;
import io.pipelinepulse.types.SerializerTypeInfo;
import io.pipelinepulse.types.Texts;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Moves facts from the lifecycles to the aggregates and holds them while they wait for the clock:
 * a tag for the kind, then that kind's fields, each written directly.
 */
public final class FactSerializer extends RecordSerializer<Fact> {

  public static final FactSerializer INSTANCE = new FactSerializer();
  public static final SerializerTypeInfo<Fact> TYPE = new SerializerTypeInfo<>(Fact.class, INSTANCE);

  /** The type of a stream of one kind of fact, read and written as any fact. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T extends Fact> SerializerTypeInfo<T> typeOf(Class<T> kind) {
    return new SerializerTypeInfo<>(kind, (TypeSerializer) INSTANCE);
  }

  private static final int STAGE_EXIT = 0;
  private static final int DEAL_CLOSED = 1;
  private static final int CLOSE_DATE_PUSH = 2;
  private static final int OPEN_DEAL_DELTA = 3;
  private static final int MISSING_FIELD_DELTA = 4;
  private static final int LEAD_TOUCHED = 5;
  private static final int LEAD_RESOLVED = 6;
  private static final int SLA_BREACH = 7;
  private static final int AWAITING_DELTA = 8;
  private static final OpenDealDelta.State[] STATES = OpenDealDelta.State.values();

  @Override
  public Fact createInstance() {
    return new StageExit(0, null, null, "", "", false);
  }

  /** Facts are immutable: a copy is the fact itself. */
  @Override
  public Fact copy(Fact from) {
    return from;
  }

  @Override
  public void serialize(Fact fact, DataOutputView target) throws IOException {
    if (fact instanceof StageExit exit) {
      head(STAGE_EXIT, fact, target);
      Texts.write(exit.pipeline(), target);
      Texts.write(exit.stage(), target);
      target.writeBoolean(exit.advance());
    } else if (fact instanceof DealClosed closed) {
      head(DEAL_CLOSED, fact, target);
      Texts.write(closed.pipeline(), target);
      target.writeBoolean(closed.won());
      target.writeDouble(closed.amount());
      target.writeLong(closed.cycleMillis());
    } else if (fact instanceof CloseDatePush push) {
      head(CLOSE_DATE_PUSH, fact, target);
      Texts.write(push.pipeline(), target);
    } else if (fact instanceof OpenDealDelta delta) {
      head(OPEN_DEAL_DELTA, fact, target);
      target.writeByte(delta.state().ordinal());
      Texts.write(delta.pipeline(), target);
      Texts.write(delta.stage(), target);
      target.writeLong(delta.count());
      target.writeDouble(delta.amount());
      target.writeDouble(delta.weighted());
    } else if (fact instanceof MissingFieldDelta missing) {
      target.writeByte(MISSING_FIELD_DELTA);
      target.writeLong(missing.time());
      Texts.write(missing.pipeline(), target);
      Texts.write(missing.field(), target);
      target.writeLong(missing.count());
    } else if (fact instanceof LeadTouched touched) {
      head(LEAD_TOUCHED, fact, target);
      Texts.write(touched.leadSource(), target);
      target.writeLong(touched.responseMillis());
    } else if (fact instanceof LeadResolved resolved) {
      head(LEAD_RESOLVED, fact, target);
      Texts.write(resolved.leadSource(), target);
      target.writeByte(resolved.outcome().ordinal());
    } else if (fact instanceof SlaBreach breach) {
      head(SLA_BREACH, fact, target);
      Texts.write(breach.leadSource(), target);
    } else if (fact instanceof AwaitingDelta awaiting) {
      head(AWAITING_DELTA, fact, target);
      Texts.write(awaiting.leadSource(), target);
      target.writeLong(awaiting.createdAt());
      target.writeLong(awaiting.count());
    } else {
      throw new IllegalArgumentException("not a known fact: " + fact);
    }
  }

  /** The fields every fact with an owner has: kind, time, owner, team. */
  private static void head(int tag, Fact fact, DataOutputView target) throws IOException {
    target.writeByte(tag);
    target.writeLong(fact.time());
    Texts.write(fact.ownerId(), target);
    Texts.write(fact.team(), target);
  }

  @Override
  public Fact deserialize(DataInputView source) throws IOException {
    int tag = source.readByte();
    long time = source.readLong();
    if (tag == MISSING_FIELD_DELTA) {
      return new MissingFieldDelta(time, Texts.read(source), Texts.read(source), source.readLong());
    }
    String ownerId = Texts.read(source);
    String team = Texts.read(source);
    return switch (tag) {
      case STAGE_EXIT -> new StageExit(time, ownerId, team, Texts.read(source), Texts.read(source),
          source.readBoolean());
      case DEAL_CLOSED -> new DealClosed(time, ownerId, team, Texts.read(source), source.readBoolean(),
          source.readDouble(), source.readLong());
      case CLOSE_DATE_PUSH -> new CloseDatePush(time, ownerId, team, Texts.read(source));
      case OPEN_DEAL_DELTA -> new OpenDealDelta(STATES[source.readByte()], time, ownerId, team, Texts.read(source),
          Texts.read(source), source.readLong(), source.readDouble(), source.readDouble());
      case LEAD_TOUCHED -> new LeadTouched(time, ownerId, team, Texts.read(source), source.readLong());
      case LEAD_RESOLVED -> new LeadResolved(time, ownerId, team, Texts.read(source),
          LeadResolved.Outcome.values()[source.readByte()]);
      case SLA_BREACH -> new SlaBreach(time, ownerId, team, Texts.read(source));
      case AWAITING_DELTA -> new AwaitingDelta(time, ownerId, team, Texts.read(source), source.readLong(),
          source.readLong());
      default -> throw new IOException("not a known fact tag: " + tag);
    };
  }

  @Override
  public TypeSerializerSnapshot<Fact> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints; the format has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Fact> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
