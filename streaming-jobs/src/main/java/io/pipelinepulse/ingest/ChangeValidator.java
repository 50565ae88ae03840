package io.pipelinepulse.ingest;

import io.pipelinepulse.config.CurrencyRates;
import io.pipelinepulse.config.InputLimits;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import io.pipelinepulse.time.IsoDates;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * Rejects changes the KPIs cannot use: no record id, no commit time, impossible values, and
 * anything beyond {@link InputLimits}. The reason codes are those of the dead-letter topic.
 */
public final class ChangeValidator implements Serializable {

  /** Commit times before 2000-01-01 are taken for a missing or broken clock in the source. */
  static final long EARLIEST_COMMIT_TIME = 946_684_800_000L;

  private final CurrencyRates rates;
  private final InputLimits limits;
  private final long maxFutureSkewMillis;
  private final long earliestCloseDay;
  private final long latestCloseDay;

  public ChangeValidator(CurrencyRates rates, InputLimits limits) {
    this.rates = rates;
    this.limits = limits;
    this.maxFutureSkewMillis = limits.maxFutureSkew().toMillis();
    this.earliestCloseDay = limits.earliestCloseDate().toEpochDay();
    this.latestCloseDay = limits.latestCloseDate().toEpochDay();
  }

  /**
   * @param wallNow the wall clock, which no commit time may pass by more than the allowed skew
   * @throws UndecodableRecordException when the change cannot be used
   */
  public void validate(CrmChange change, long wallNow) {
    checkTextLengths(change);
    if (change.getRecordId() == null || change.getRecordId().isBlank()) {
      throw new UndecodableRecordException("missing-record-id", "change has no record id");
    }
    if (change.getEventId() == null || change.getEventId().isBlank()) {
      throw new UndecodableRecordException("missing-event-id", "change of " + change.getRecordId() + " has no event id");
    }
    if (change.getCommitTime() < EARLIEST_COMMIT_TIME) {
      throw new UndecodableRecordException("missing-commit-time",
          "commit time " + change.getCommitTime() + " of " + change.getRecordId() + " is missing or before 2000");
    }
    if (change.getCommitTime() > wallNow + maxFutureSkewMillis) {
      throw new UndecodableRecordException("future-commit-time", "commit time "
          + Instant.ofEpochMilli(change.getCommitTime()) + " of " + change.getRecordId() + " is more than "
          + limits.maxFutureSkew() + " (input.max-future-skew) after the wall clock " + Instant.ofEpochMilli(wallNow));
    }
    Map<String, Object> fields = change.getFields();
    Object amount = fields.get(CanonicalFields.AMOUNT);
    if (amount != null) {
      double value = number(CanonicalFields.AMOUNT, amount);
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw invalid("amount " + amount + " is negative or not a number");
      }
      if (value > limits.maxAmount()) {
        throw invalid("amount " + amount + " is above input.max-amount " + limits.maxAmount());
      }
    }
    Object probability = fields.get(CanonicalFields.PROBABILITY);
    if (probability != null) {
      double value = number(CanonicalFields.PROBABILITY, probability);
      if (!(value >= 0 && value <= 100)) {
        throw invalid("probability " + probability + " is not between 0 and 100");
      }
    }
    Object currency = fields.get(CanonicalFields.CURRENCY);
    if (currency != null && !rates.knows(currency.toString())) {
      throw invalid("no rate is configured for currency " + currency);
    }
    Object closeDate = fields.get(CanonicalFields.CLOSE_DATE);
    if (closeDate != null) {
      long day = IsoDates.epochDay(closeDate.toString());
      if (day == IsoDates.NO_DATE) {
        throw invalid("closeDate '" + closeDate + "' is not a yyyy-MM-dd date");
      }
      if (day < earliestCloseDay || day > latestCloseDay) {
        throw invalid("closeDate " + closeDate + " is not between input.earliest-close-date "
            + limits.earliestCloseDate() + " and input.latest-close-date " + limits.latestCloseDate());
      }
    }
    for (String text : new String[] {CanonicalFields.STAGE, CanonicalFields.OWNER_ID, CanonicalFields.PIPELINE}) {
      Object value = fields.get(text);
      if (value != null && !(value instanceof CharSequence)) {
        throw invalid(text + " must be a text, not " + value);
      }
    }
  }

  /** Every text of the change, field names included, within the limit. */
  private void checkTextLengths(CrmChange change) {
    checkLength("recordId", change.getRecordId());
    checkLength("eventId", change.getEventId());
    for (Map.Entry<String, Object> field : change.getFields().entrySet()) {
      checkLength("a field name", field.getKey());
      if (field.getValue() instanceof CharSequence text) {
        checkLength(field.getKey(), text);
      }
    }
  }

  private void checkLength(String what, CharSequence text) {
    if (text != null && text.length() > limits.maxTextLength()) {
      throw new UndecodableRecordException("text-too-long", what + " has " + text.length()
          + " characters, more than input.max-text-length " + limits.maxTextLength());
    }
  }

  private static double number(String name, Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    throw invalid(name + " must be a number, not '" + value + "'");
  }

  private static UndecodableRecordException invalid(String detail) {
    return new UndecodableRecordException("invalid-value", detail);
  }
}
