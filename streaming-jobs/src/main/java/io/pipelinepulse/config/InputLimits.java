package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;

/**
 * What the job accepts of a change (README, "The clock, late and bad input"); anything beyond is
 * dead-lettered with its reason, so no single record can exhaust memory, set the clock to the
 * future or turn a sum into Infinity.
 *
 * @param maxFutureSkew how far after the wall clock a commit time may be
 * @param maxTextLength the longest text of a change, in characters
 * @param maxAmount the largest amount, in its own currency
 */
public record InputLimits(Duration maxFutureSkew, int maxTextLength, double maxAmount, LocalDate earliestCloseDate,
    LocalDate latestCloseDate) implements Serializable {

  /** The longest text in UTF-8 bytes: what the Avro decoder may allocate for one string. */
  public int maxTextBytes() {
    return (int) Math.min(Integer.MAX_VALUE - 8L, 4L * maxTextLength);
  }
}
