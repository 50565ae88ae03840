package io.pipelinepulse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import io.pipelinepulse.reference.LeadReferenceModel;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Working-time deadlines: inside a day, across closing time, weekends and a daylight-saving change. */
class BusinessHoursTest {

  private static final BusinessHours BERLIN_WEEKDAYS = new BusinessHours(ZoneId.of("Europe/Berlin"),
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0));
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static String deadline(String start, long millis) {
    return Instant.ofEpochMilli(BERLIN_WEEKDAYS.deadline(at(start), millis)).toString();
  }

  @Test
  void withinOneWorkingDayTheDeadlineIsPlainTime() {
    // Tuesday 2026-01-13 10:00 in Berlin (UTC+1)
    assertThat(deadline("2026-01-13T09:00:00Z", HOUR)).isEqualTo("2026-01-13T10:00:00Z");
  }

  @Test
  void closingTimeCarriesTheRestToTheNextWorkingDay() {
    // Tuesday 16:30 Berlin: 30 min today, 30 min from Wednesday 09:00
    assertThat(deadline("2026-01-13T15:30:00Z", HOUR)).isEqualTo("2026-01-14T08:30:00Z");
  }

  @Test
  void aLeadFromTheWeekendWaitsForMondayMorning() {
    // Saturday noon Berlin: the hour runs Monday 09:00-10:00
    assertThat(deadline("2026-01-17T11:00:00Z", HOUR)).isEqualTo("2026-01-19T09:00:00Z");
    // Friday 16:30: half an hour Friday, half Monday
    assertThat(deadline("2026-01-16T15:30:00Z", HOUR)).isEqualTo("2026-01-19T08:30:00Z");
  }

  @Test
  void beforeOpeningTheSlaStartsAtOpening() {
    // Wednesday 06:00 Berlin
    assertThat(deadline("2026-01-14T05:00:00Z", 2 * HOUR)).isEqualTo("2026-01-14T10:00:00Z");
  }

  @Test
  void hoursFollowTheZonesDaylightSavingTime() {
    // Monday 2026-03-30, after the switch to UTC+2: 09:00 Berlin is 07:00Z
    assertThat(deadline("2026-03-27T15:30:00Z", HOUR)).isEqualTo("2026-03-30T07:30:00Z");
  }

  @Test
  void aLongSlaSpansSeveralWorkingDays() {
    // 20 working hours from Monday 09:00: Monday 8, Tuesday 8, Wednesday 09:00-13:00
    assertThat(deadline("2026-01-12T08:00:00Z", 20 * HOUR)).isEqualTo("2026-01-14T12:00:00Z");
  }

  @Test
  void agreesWithAMinuteByMinuteWalkOnRandomStartsAndSlas() {
    java.util.Random random = new java.util.Random(7);
    BusinessHours newYork = new BusinessHours(ZoneId.of("America/New_York"),
        EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.SATURDAY), LocalTime.of(8, 15), LocalTime.of(12, 45));
    long yearStart = at("2026-01-01T00:00:00Z");
    for (BusinessHours hours : new BusinessHours[] {BERLIN_WEEKDAYS, newYork}) {
      for (int i = 0; i < 300; i++) {
        long start = yearStart + (long) (random.nextDouble() * 365 * 24 * HOUR);
        long sla = 1 + (long) (random.nextDouble() * 30 * HOUR);
        assertThat(hours.deadline(start, sla)).as("start %s, SLA %d ms", Instant.ofEpochMilli(start), sla)
            .isEqualTo(LeadReferenceModel.workingTimeDeadline(hours, start, sla));
      }
    }
  }
}
