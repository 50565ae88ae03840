package io.pipelinepulse.time;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Calendar dates as ISO {@code yyyy-MM-dd} texts, read as epoch days. The plain ten-character form
 * is read by hand: it is what every input sends, and a formatter costs more than the rest of a
 * deal's change.
 */
public final class IsoDates {

  /** Not a date: absent or unreadable. */
  public static final long NO_DATE = Long.MIN_VALUE;

  private IsoDates() {}

  /** The epoch day of {@code text}, {@link #NO_DATE} when it is null or not an ISO date. */
  public static long epochDay(String text) {
    if (text == null) {
      return NO_DATE;
    }
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      if (year >= 0 && month >= 0 && day >= 0) {
        try {
          return LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
          return NO_DATE;
        }
      }
    }
    try {
      return LocalDate.parse(text).toEpochDay();
    } catch (DateTimeParseException e) {
      return NO_DATE;
    }
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
