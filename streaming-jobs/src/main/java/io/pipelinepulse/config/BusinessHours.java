package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * A team's working hours in its own time zone: the lead response SLA runs only within them. The
 * same hours on each working day; daylight-saving changes follow the zone.
 */
public record BusinessHours(ZoneId zone, Set<DayOfWeek> days, LocalTime opens, LocalTime closes)
    implements Serializable {

  /** The moment {@code millis} of working time have passed since {@code start}. */
  public long deadline(long start, long millis) {
    long remaining = millis;
    ZonedDateTime from = Instant.ofEpochMilli(start).atZone(zone);
    LocalDate day = from.toLocalDate();
    // At least one working day a week (checked at load), so this ends within weeks of working time.
    while (true) {
      if (days.contains(day.getDayOfWeek())) {
        long open = day.atTime(opens).atZone(zone).toInstant().toEpochMilli();
        long close = day.atTime(closes).atZone(zone).toInstant().toEpochMilli();
        long begin = Math.max(open, start);
        if (begin < close) {
          if (remaining <= close - begin) {
            return begin + remaining;
          }
          remaining -= close - begin;
        }
      }
      day = day.plusDays(1);
    }
  }
}
