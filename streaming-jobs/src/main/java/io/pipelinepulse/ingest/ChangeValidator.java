package io.pipelinepulse.ingest;

import io.pipelinepulse.config.CurrencyRates;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.time.IsoDates;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.io.Serializable;
import java.util.Map;

/**
 * Rejects changes the KPIs cannot use: no record id, no commit time, impossible values. The
 * reason codes are those of the dead-letter topic.
 */
public final class ChangeValidator implements Serializable {

  /** Commit times before 2000-01-01 are taken for a missing or broken clock in the source. */
  static final long EARLIEST_COMMIT_TIME = 946_684_800_000L;

  private final CurrencyRates rates;

  public ChangeValidator(CurrencyRates rates) {
    this.rates = rates;
  }

  /** @throws UndecodableRecordException when the change cannot be used */
  public void validate(CrmChange change) {
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
    Map<String, Object> fields = change.getFields();
    Object amount = fields.get(CanonicalFields.AMOUNT);
    if (amount != null) {
      double value = number(CanonicalFields.AMOUNT, amount);
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw invalid("amount " + amount + " is negative or not a number");
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
    if (closeDate != null && IsoDates.epochDay(closeDate.toString()) == IsoDates.NO_DATE) {
      throw invalid("closeDate '" + closeDate + "' is not a yyyy-MM-dd date");
    }
    for (String text : new String[] {CanonicalFields.STAGE, CanonicalFields.OWNER_ID, CanonicalFields.PIPELINE}) {
      Object value = fields.get(text);
      if (value != null && !(value instanceof CharSequence)) {
        throw invalid(text + " must be a text, not " + value);
      }
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
