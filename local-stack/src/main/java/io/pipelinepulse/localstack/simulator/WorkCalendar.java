package io.pipelinepulse.localstack.simulator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Office hours of a team in its own time zone. Sales people act during these hours only, which is
 * what makes a lead arriving on Friday evening wait until Monday and gives activity its daily and
 * weekly rhythm.
 */
final class WorkCalendar {

  static final LocalTime DAY_START = LocalTime.of(8, 0);
  static final LocalTime DAY_END = LocalTime.of(18, 0);

  private final ZoneId zone;

  WorkCalendar(ZoneId zone) {
    this.zone = zone;
  }

  ZoneId zone() {
    return zone;
  }

  boolean isWorkingTime(long epochMillis) {
    ZonedDateTime local = local(epochMillis);
    LocalTime time = local.toLocalTime();
    return isWorkday(local.toLocalDate()) && !time.isBefore(DAY_START) && time.isBefore(DAY_END);
  }

  /** {@code epochMillis} itself when within office hours, else the start of the next working day. */
  long nextWorkingMoment(long epochMillis) {
    if (isWorkingTime(epochMillis)) {
      return epochMillis;
    }
    ZonedDateTime local = local(epochMillis);
    LocalDate day = local.toLocalDate();
    if (!isWorkday(day) || !local.toLocalTime().isBefore(DAY_START)) {
      day = day.plusDays(1);
    }
    while (!isWorkday(day)) {
      day = day.plusDays(1);
    }
    return day.atTime(DAY_START).atZone(zone).toInstant().toEpochMilli();
  }

  LocalDate date(long epochMillis) {
    return local(epochMillis).toLocalDate();
  }

  long startOfDay(LocalDate date) {
    return date.atTime(DAY_START).atZone(zone).toInstant().toEpochMilli();
  }

  private ZonedDateTime local(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(zone);
  }

  private static boolean isWorkday(LocalDate day) {
    DayOfWeek dow = day.getDayOfWeek();
    return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
  }
}
