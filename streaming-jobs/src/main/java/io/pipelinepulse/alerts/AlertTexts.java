package io.pipelinepulse.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How alert texts write moments and spans: a moment, not the time elapsed since it, so that an
 * annotation stays true for as long as the alert is open.
 */
public final class AlertTexts {

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final int NAME_LENGTH = 120;

  private AlertTexts() {}

  /** A record as a manager recognises it: "Acme renewal" (006A1), or its id alone without a name. */
  public static String record(String id, String... names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      if (name != null && !name.isBlank()) {
        text.append(text.length() == 0 ? "\"" : ", ").append(shortened(name));
      }
    }
    return text.length() == 0 ? id : text.append("\" (").append(id).append(')').toString();
  }

  /** A name as kept and shown: a notification line, not the whole of a long text field. */
  public static String shortened(String name) {
    if (name == null) {
      return null;
    }
    String text = name.strip();
    return text.length() <= NAME_LENGTH ? text : text.substring(0, NAME_LENGTH - 3) + "...";
  }

  /** e.g. 2026-11-10 14:05 UTC */
  public static String moment(long epochMillis) {
    return MINUTE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** A configured span: 30 min, 1 h, 1.5 h, 14 d. */
  public static String span(long millis) {
    if (millis < 3_600_000L) {
      return String.format(Locale.ROOT, "%d min", millis / 60_000L);
    }
    if (millis < 86_400_000L || millis % 86_400_000L != 0) {
      double hours = millis / 3_600_000.0;
      return hours == Math.rint(hours) ? String.format(Locale.ROOT, "%d h", (long) hours)
          : String.format(Locale.ROOT, "%.1f h", hours);
    }
    return String.format(Locale.ROOT, "%d d", millis / 86_400_000L);
  }
}
