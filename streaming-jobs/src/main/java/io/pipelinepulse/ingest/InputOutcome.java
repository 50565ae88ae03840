package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.Entity;
import java.util.Locale;

/** What became of one input record, for {@code pulse_input_events_total}. */
public class InputOutcome {

  public static final String ACCEPTED = "accepted";
  public static final String DUPLICATE = "duplicate";
  public static final String LATE = "late";
  public static final String INVALID = "invalid";
  public static final String GAP = "gap";
  /** Accepted, then its record's lifecycle threw on it (also counted as accepted). */
  public static final String FAILED = "failed";
  /** The format label of a failure at a deadline, which no input record caused. */
  public static final String CLOCK = "clock";

  public String format;
  public String entity;
  public String outcome;
  /** How many records had this outcome: 1 as decided, more once tallied. */
  public long count = 1;

  public InputOutcome() {}

  public InputOutcome(String format, String entity, String outcome) {
    this(format, entity, outcome, 1);
  }

  public InputOutcome(String format, String entity, String outcome, long count) {
    this.format = format;
    this.entity = entity;
    this.outcome = outcome;
    this.count = count;
  }

  public static String entityLabel(Entity entity) {
    return entity == null ? "unknown" : ENTITY_LABELS[entity.ordinal()];
  }

  /** Each entity's label, made once: every change asks for one. */
  private static final String[] ENTITY_LABELS = java.util.Arrays.stream(Entity.values())
      .map(entity -> entity.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

  /** Key of the counter this outcome adds to. */
  public String counterKey() {
    return format + '|' + entity + '|' + outcome;
  }
}
