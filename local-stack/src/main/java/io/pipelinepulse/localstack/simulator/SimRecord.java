package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.Entity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The simulator's copy of a CRM record's fields. Keeping it lets every update carry only the
 * fields that really changed, as a CRM's change stream does.
 */
abstract class SimRecord {

  private final String id;
  private final Entity entity;
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean deleted;

  SimRecord(String id, Entity entity) {
    this.id = id;
    this.entity = entity;
  }

  final String id() {
    return id;
  }

  final Entity entity() {
    return entity;
  }

  final Object field(String name) {
    return fields.get(name);
  }

  final boolean isDeleted() {
    return deleted;
  }

  final void markDeleted(boolean deleted) {
    this.deleted = deleted;
  }

  final void initialise(Map<String, Object> values) {
    fields.clear();
    fields.putAll(values);
  }

  /** Applies {@code proposed} and returns the part of it that differs from the current values. */
  final Map<String, Object> apply(Map<String, Object> proposed) {
    Map<String, Object> changed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : proposed.entrySet()) {
      if (!fields.containsKey(entry.getKey()) || !Objects.equals(fields.get(entry.getKey()), entry.getValue())) {
        changed.put(entry.getKey(), entry.getValue());
        fields.put(entry.getKey(), entry.getValue());
      }
    }
    return changed;
  }
}
