package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Turns what happens in the simulated organisation into canonical change events. */
final class ChangeEmitter {

  static final String ORIGIN = "simulator";
  private static final Consumer<CrmChange> NOWHERE = change -> { };

  private final String eventIdPrefix;
  private long emitted;
  private Consumer<CrmChange> sink = NOWHERE;

  ChangeEmitter(long seed) {
    this.eventIdPrefix = "sim-" + seed + "-";
  }

  void sinkTo(Consumer<CrmChange> sink) {
    this.sink = sink == null ? NOWHERE : sink;
  }

  long emitted() {
    return emitted;
  }

  void create(SimRecord record, long time, Map<String, Object> fields) {
    record.initialise(fields);
    emit(record.entity(), record.id(), ChangeType.CREATE, time, fields);
  }

  /** Emits only what differs from the record's current values; nothing when nothing differs. */
  boolean update(SimRecord record, long time, Map<String, Object> proposed) {
    Map<String, Object> changed = record.apply(proposed);
    if (changed.isEmpty()) {
      return false;
    }
    emit(record.entity(), record.id(), ChangeType.UPDATE, time, changed);
    return true;
  }

  void delete(SimRecord record, long time) {
    record.markDeleted(true);
    emit(record.entity(), record.id(), ChangeType.DELETE, time, Map.of());
  }

  void undelete(SimRecord record, long time) {
    record.markDeleted(false);
    emit(record.entity(), record.id(), ChangeType.UNDELETE, time, Map.of());
  }

  /** Activities are never changed afterwards, so the simulator keeps no state for them. */
  void activity(String id, long time, Map<String, Object> fields) {
    emit(Entity.ACTIVITY, id, ChangeType.CREATE, time, fields);
  }

  private void emit(Entity entity, String recordId, ChangeType type, long time, Map<String, Object> fields) {
    emitted++;
    // The counter doubles as the sequence: it orders changes that share a commit time, such as the
    // opportunity and the lead update of a conversion.
    sink.accept(CrmChange.newBuilder()
        .setEventId(eventIdPrefix + emitted)
        .setOrigin(ORIGIN)
        .setEntity(entity)
        .setRecordId(recordId)
        .setChangeType(type)
        .setCommitTime(time)
        .setSequence(emitted)
        .setFields(new LinkedHashMap<>(fields))
        .build());
  }
}
