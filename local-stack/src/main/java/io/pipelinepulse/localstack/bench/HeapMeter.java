package io.pipelinepulse.localstack.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap of this JVM after forcing full collections. */
final class HeapMeter {

  private HeapMeter() {}

  /** Collects a few times until the used heap stops shrinking, then returns it in bytes. */
  static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= best * 0.995 && i >= 2) {
        return Math.min(best, used);
      }
      best = Math.min(best, used);
    }
    return best;
  }
}
