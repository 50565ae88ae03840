package io.pipelinepulse.testing;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Short ways to write canonical changes in tests. */
public final class Changes {

  private static final AtomicLong IDS = new AtomicLong();

  private Changes() {}

  public static CrmChange opportunity(String id, ChangeType type, long time, Object... fields) {
    return change(Entity.OPPORTUNITY, id, type, time, fields);
  }

  public static CrmChange user(String id, ChangeType type, long time, Object... fields) {
    return change(Entity.USER, id, type, time, fields);
  }

  /** A change's fields with plain strings for Avro's texts, to compare with expected values. */
  public static Map<String, Object> fieldsOf(CrmChange change) {
    Map<String, Object> fields = new java.util.HashMap<>();
    change.getFields().forEach((k, v) -> fields.put(k.toString(), v instanceof CharSequence s ? s.toString() : v));
    return fields;
  }

  public static CrmChange change(Entity entity, String id, ChangeType type, long time, Object... fields) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      values.put((String) fields[i], fields[i + 1]);
    }
    return CrmChange.newBuilder()
        .setEventId("test-" + IDS.incrementAndGet())
        .setOrigin("test")
        .setEntity(entity)
        .setRecordId(id)
        .setChangeType(type)
        .setCommitTime(time)
        .setSequence(0)
        .setFields(values)
        .build();
  }
}
