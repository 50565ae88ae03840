package io.pipelinepulse.window;

import java.time.Duration;

/** The rolling windows (README, "What it publishes"), each ending at the job's "now". */
public enum RollingWindow {
  D1("1d", Duration.ofDays(1)),
  D7("7d", Duration.ofDays(7)),
  D30("30d", Duration.ofDays(30));

  /** Granularity of the rolling buckets: windows move forward a whole minute at a time. */
  public static final long BUCKET_MILLIS = 60_000L;

  private final String label;
  private final long millis;

  RollingWindow(String label, Duration length) {
    this.label = label;
    this.millis = length.toMillis();
  }

  public String label() {
    return label;
  }

  public long millis() {
    return millis;
  }

  public static long bucketOf(long time) {
    return Math.floorDiv(time, BUCKET_MILLIS) * BUCKET_MILLIS;
  }
}
