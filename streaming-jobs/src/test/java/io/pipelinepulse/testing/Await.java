package io.pipelinepulse.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition of a running job or server, checking four times a second. */
public final class Await {

  private Await() {}

  public static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(250);
    }
  }
}
