package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import io.pipelinepulse.testing.Changes;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ChangeValidatorTest {

  private static final long T = 1_767_607_200_000L;
  /** The wall clock the changes arrive at: an hour after their commit time. */
  private static final long WALL_NOW = T + 3_600_000L;

  private final ChangeValidator validator = new ChangeValidator(PulseConfigLoader.defaults().currency(), PulseConfigLoader.defaults().input());

  private static CrmChange opportunity(Object... fields) {
    return Changes.opportunity("006A", ChangeType.UPDATE, T, fields);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> rejected(CrmChange change, String reason) {
    return assertThatThrownBy(() -> validator.validate(change, WALL_NOW))
        .isInstanceOf(UndecodableRecordException.class)
        .matches(e -> ((UndecodableRecordException) e).reason().equals(reason),
            "reason " + reason);
  }

  private void accepted(CrmChange change) {
    assertThatCode(() -> validator.validate(change, WALL_NOW)).doesNotThrowAnyException();
  }

  @Test
  void acceptsAWellFormedChange() {
    accepted(opportunity("stage", "Prospecting", "amount", 1200.0, "currency", "EUR", "probability", 20.0,
        "closeDate", "2026-03-31", "ownerId", "u-1", "pipeline", "default", "name", "Big deal"));
    accepted(Changes.user("u-1", ChangeType.CREATE, T, "team", "East", "active", true));
  }

  @Test
  void missingRecordId() {
    CrmChange blank = opportunity();
    blank.setRecordId("  ");
    rejected(blank, "missing-record-id");
    CrmChange none = opportunity();
    none.setRecordId(null);
    rejected(none, "missing-record-id");
  }

  @Test
  void missingEventId() {
    CrmChange blank = opportunity();
    blank.setEventId("");
    rejected(blank, "missing-event-id").hasMessageContaining("006A");
    CrmChange none = opportunity();
    none.setEventId(null);
    rejected(none, "missing-event-id");
  }

  @Test
  void missingOrAncientCommitTime() {
    CrmChange zero = opportunity();
    zero.setCommitTime(0L);
    rejected(zero, "missing-commit-time");
    CrmChange negative = opportunity();
    negative.setCommitTime(-1L);
    rejected(negative, "missing-commit-time");
    CrmChange lastMilliOf1999 = opportunity();
    lastMilliOf1999.setCommitTime(946_684_799_999L);
    rejected(lastMilliOf1999, "missing-commit-time");

    CrmChange firstMilliOf2000 = opportunity();
    firstMilliOf2000.setCommitTime(946_684_800_000L);
    accepted(firstMilliOf2000);
  }

  @Test
  void invalidAmount() {
    rejected(opportunity("amount", -0.01), "invalid-value").hasMessageContaining("amount");
    rejected(opportunity("amount", Double.NaN), "invalid-value");
    rejected(opportunity("amount", Double.POSITIVE_INFINITY), "invalid-value");
    rejected(opportunity("amount", "1200"), "invalid-value").hasMessageContaining("must be a number");
    rejected(opportunity("amount", true), "invalid-value");
    rejected(opportunity("amount", -5L), "invalid-value");

    accepted(opportunity("amount", 0.0));
    accepted(opportunity("amount", 7L));
    accepted(opportunity("amount", null)); // cleared amount
  }

  @Test
  void invalidProbability() {
    rejected(opportunity("probability", 100.01), "invalid-value").hasMessageContaining("probability");
    rejected(opportunity("probability", -1.0), "invalid-value");
    rejected(opportunity("probability", Double.NaN), "invalid-value");
    rejected(opportunity("probability", "50%"), "invalid-value");

    accepted(opportunity("probability", 0.0));
    accepted(opportunity("probability", 100.0));
    accepted(opportunity("probability", 55L));
    accepted(opportunity("probability", null));
  }

  @Test
  void currencyWithoutRate() {
    rejected(opportunity("amount", 10.0, "currency", "JPY"), "invalid-value").hasMessageContaining("JPY");
    rejected(opportunity("currency", "usd"), "invalid-value");
    accepted(opportunity("currency", "GBP"));
    accepted(opportunity("currency", null));
  }

  @Test
  void invalidCloseDate() {
    rejected(opportunity("closeDate", "2026-13-01"), "invalid-value").hasMessageContaining("closeDate");
    rejected(opportunity("closeDate", "31/03/2026"), "invalid-value");
    rejected(opportunity("closeDate", "2026-02-30"), "invalid-value");
    rejected(opportunity("closeDate", 20260331L), "invalid-value");
    accepted(opportunity("closeDate", "2024-02-29"));
    accepted(opportunity("closeDate", null));
  }

  @Test
  void closeDatesOutsideTheConfiguredYearsAreRefused() {
    rejected(opportunity("closeDate", "+999999999-12-31"), "invalid-value");
    rejected(opportunity("closeDate", "3000-01-01"), "invalid-value")
        .hasMessageContaining("input.latest-close-date 2999-12-31");
    rejected(opportunity("closeDate", "1899-12-31"), "invalid-value")
        .hasMessageContaining("input.earliest-close-date 1900-01-01");
    accepted(opportunity("closeDate", "2999-12-31"));
    accepted(opportunity("closeDate", "1900-01-01"));
  }

  @Test
  void amountsAboveTheLimitAreRefusedSoNoSumOverflows() {
    rejected(opportunity("amount", 1e308), "invalid-value").hasMessageContaining("input.max-amount");
    rejected(opportunity("amount", 1.0000001e12), "invalid-value");
    accepted(opportunity("amount", 1e12));
  }

  @Test
  void commitTimesFurtherAheadOfTheWallClockThanTheSkewAreRefused() {
    CrmChange skewed = Changes.opportunity("006A", ChangeType.UPDATE, WALL_NOW + 5 * 60_000L + 1, "stage", "x");
    rejected(skewed, "future-commit-time").hasMessageContaining("input.max-future-skew");
    CrmChange year2099 = Changes.opportunity("006A", ChangeType.UPDATE, 4_070_908_800_000L, "stage", "x");
    rejected(year2099, "future-commit-time").hasMessageContaining("2099-01-01");
    accepted(Changes.opportunity("006A", ChangeType.UPDATE, WALL_NOW + 5 * 60_000L, "stage", "x"));
  }

  @Test
  void textsLongerThanTheLimitAreRefusedWhereverTheyAre() {
    String tooLong = "x".repeat(131_073);
    rejected(opportunity("name", tooLong), "text-too-long").hasMessageContaining("name has 131073 characters");
    rejected(opportunity(tooLong, "x"), "text-too-long").hasMessageContaining("a field name");
    CrmChange longId = opportunity();
    longId.setRecordId(tooLong);
    rejected(longId, "text-too-long").hasMessageContaining("recordId");
    accepted(opportunity("name", "é".repeat(131_072)));
  }

  @Test
  void textFieldsMustBeText() {
    for (String field : Arrays.asList("stage", "ownerId", "pipeline")) {
      rejected(opportunity(field, 3L), "invalid-value").hasMessageContaining(field + " must be a text");
      rejected(opportunity(field, false), "invalid-value");
      rejected(opportunity(field, 1.5), "invalid-value");
      accepted(opportunity(field, "x"));
      accepted(opportunity(field, null));
    }
  }

  @Test
  void otherEntitiesAreCheckedWithTheSameRules() {
    rejected(Changes.change(Entity.LEAD, "00Q1", ChangeType.CREATE, T, "ownerId", 42L), "invalid-value");
    accepted(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T, "type", "call", "opportunityId", "006A"));
  }
}
