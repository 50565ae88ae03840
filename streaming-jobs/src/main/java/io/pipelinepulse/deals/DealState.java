package io.pipelinepulse.deals;

import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.lifecycle.TextPool;
import io.pipelinepulse.time.IsoDates;
import java.time.LocalDate;
import java.util.Map;

/** What is known about one opportunity now, from merging its changes in commit-time order. */
public class DealState {

  public String stage;
  public String pipeline;
  /** Amount in the deal's currency and probability in percent; NaN when the deal has none. */
  public double amount = Double.NaN;
  public String currency;
  public double probability = Double.NaN;
  /** The close date as an epoch day, {@link IsoDates#NO_DATE} when the deal has none. */
  public long closeDay = IsoDates.NO_DATE;
  public String ownerId;
  /** The opportunity's name, kept only with alerts.include-names. */
  public String name;
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
  /** When the deal's one deadline timer fires, and when a deleted or stageless deal is forgotten (MAX_VALUE: never). */
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
    copy.closeDay = closeDay;
    copy.ownerId = ownerId;
    copy.name = name;
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

  /**
   * Applies the fields a change sets; a field absent from the map stays as it was. Texts come from
   * {@code pool}, so a million deals share one copy of each stage, pipeline, currency and owner;
   * the name is kept only when {@code keepName}.
   */
  public void merge(Map<String, Object> fields, TextPool pool, boolean keepName) {
    if (keepName && fields.containsKey(CanonicalFields.NAME)) {
      name = io.pipelinepulse.alerts.AlertTexts.shortened(text(fields.get(CanonicalFields.NAME)));
    }
    if (fields.containsKey(CanonicalFields.STAGE)) {
      stage = pool.of(text(fields.get(CanonicalFields.STAGE)));
    }
    if (fields.containsKey(CanonicalFields.PIPELINE)) {
      pipeline = pool.of(text(fields.get(CanonicalFields.PIPELINE)));
    }
    if (fields.containsKey(CanonicalFields.AMOUNT)) {
      amount = number(fields.get(CanonicalFields.AMOUNT));
    }
    if (fields.containsKey(CanonicalFields.CURRENCY)) {
      currency = pool.of(text(fields.get(CanonicalFields.CURRENCY)));
    }
    if (fields.containsKey(CanonicalFields.PROBABILITY)) {
      probability = number(fields.get(CanonicalFields.PROBABILITY));
    }
    if (fields.containsKey(CanonicalFields.CLOSE_DATE)) {
      closeDay = IsoDates.epochDay(text(fields.get(CanonicalFields.CLOSE_DATE)));
    }
    if (fields.containsKey(CanonicalFields.OWNER_ID)) {
      ownerId = pool.of(text(fields.get(CanonicalFields.OWNER_ID)));
    }
  }

  public boolean hasAmount() {
    return !Double.isNaN(amount);
  }

  public boolean hasCloseDate() {
    return closeDay != IsoDates.NO_DATE;
  }

  /** The close date as the ISO text it came as. */
  public String closeDateText() {
    return hasCloseDate() ? LocalDate.ofEpochDay(closeDay).toString() : null;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static double number(Object value) {
    return value instanceof Number number ? number.doubleValue() : Double.NaN;
  }
}
