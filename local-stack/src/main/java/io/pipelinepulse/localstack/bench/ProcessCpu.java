package io.pipelinepulse.localstack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, in nanoseconds, by this JVM (where the embedded job runs) and by another
 * process (the broker). Read before and after a phase, the difference is what the phase cost on
 * the machine's cores, whatever the wall time: on a shared 2-core machine that is the figure that
 * says where the work goes.
 */
final class ProcessCpu {

  /** Linux's clock ticks per second ({@code getconf CLK_TCK}), asked once; 100 if that fails. */
  private static final long TICKS_PER_SECOND = clockTicks();

  private ProcessCpu() {}

  /** CPU time of this JVM, all threads (the job, its cluster, the benchmark's own polling, GC). */
  static long jvmNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** utime + stime of process {@code pid} from /proc, in nanoseconds; -1 when it cannot be read. */
  static long nanosOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      return ticksOf(stat) * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * utime + stime (fields 14 and 15) of a /proc/PID/stat line, in clock ticks. The command name
   * (field 2) is in parentheses and may itself hold spaces and parentheses, so the fields are
   * counted from the last ')'.
   */
  static long ticksOf(String stat) {
    String[] after = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
    // after[0] is field 3 (state), so field n is after[n - 3]
    return Long.parseLong(after[14 - 3]) + Long.parseLong(after[15 - 3]);
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      long ticks = getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
      return ticks > 0 ? ticks : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
