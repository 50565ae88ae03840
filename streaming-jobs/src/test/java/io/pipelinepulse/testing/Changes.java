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
