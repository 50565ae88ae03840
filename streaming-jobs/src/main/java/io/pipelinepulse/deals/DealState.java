package io.pipelinepulse.deals;

import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.time.IsoDates;
import java.util.Map;

/** What is known about one opportunity now, from merging its changes in commit-time order. */
public class DealState {

  public String stage;
  public String pipeline;
  public Double amount;
  public String currency;
  public Double probability;
  public String closeDate;
  /** {@link #closeDate} as an epoch day, {@link IsoDates#NO_DATE} when absent or unreadable. */
  public long closeDay = IsoDates.NO_DATE;
  public String ownerId;
  public boolean deleted;
  /** Commit time of the change that first made this deal known (its creation, normally). */
  public long createdAt;
  /** When the deal entered its current stage, and its last activity (Long.MIN_VALUE: none). */
  public long stageEnteredAt;
  public long lastActivityAt = Long.MIN_VALUE;
  /** Set as the clock passes the deal's idle threshold and the day after its close date. */
  public boolean stalled;
  public boolean pastDue;
  /** How many times the close date was pushed later. */
  public int pushes;
  /** When the deal's one deadline timer fires, and when a deleted deal is forgotten (MAX_VALUE: never). */
  public long deadlineTimer = Long.MAX_VALUE;
  public long cleanupAt = Long.MAX_VALUE;

  public DealState() {}

  public DealState copy() {
    DealState copy = new DealState();
    copy.stage = stage;
    copy.pipeline = pipeline;
    copy.amount = amount;
    copy.currency = currency;
    copy.probability = probability;
    copy.closeDate = closeDate;
    copy.closeDay = closeDay;
    copy.ownerId = ownerId;
    copy.deleted = deleted;
    copy.createdAt = createdAt;
    copy.stageEnteredAt = stageEnteredAt;
    copy.lastActivityAt = lastActivityAt;
    copy.pushes = pushes;
    copy.stalled = stalled;
    copy.pastDue = pastDue;
    copy.deadlineTimer = deadlineTimer;
    copy.cleanupAt = cleanupAt;
    return copy;
  }

  /** Applies the fields a change sets; a field absent from the map stays as it was. */
  public void merge(Map<String, Object> fields) {
    if (fields.containsKey(CanonicalFields.STAGE)) {
      stage = text(fields.get(CanonicalFields.STAGE));
    }
    if (fields.containsKey(CanonicalFields.PIPELINE)) {
      pipeline = text(fields.get(CanonicalFields.PIPELINE));
    }
    if (fields.containsKey(CanonicalFields.AMOUNT)) {
      amount = number(fields.get(CanonicalFields.AMOUNT));
    }
    if (fields.containsKey(CanonicalFields.CURRENCY)) {
      currency = text(fields.get(CanonicalFields.CURRENCY));
    }
    if (fields.containsKey(CanonicalFields.PROBABILITY)) {
      probability = number(fields.get(CanonicalFields.PROBABILITY));
    }
    if (fields.containsKey(CanonicalFields.CLOSE_DATE)) {
      closeDate = text(fields.get(CanonicalFields.CLOSE_DATE));
      closeDay = IsoDates.epochDay(closeDate);
    }
    if (fields.containsKey(CanonicalFields.OWNER_ID)) {
      ownerId = text(fields.get(CanonicalFields.OWNER_ID));
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Double number(Object value) {
    return value instanceof Number number ? number.doubleValue() : null;
  }
}
