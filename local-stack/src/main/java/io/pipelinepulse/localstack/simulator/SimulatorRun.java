package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.CrmChange;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of the simulator command: the history as fast as the sink takes it, then optionally the
 * live stream, with progress reports and a summary. Stoppable from another thread (Ctrl-C).
 */
final class SimulatorRun {

  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** Upper bound on a live-mode nap, so a stop request or a failure is noticed promptly. */
  private static final long MAX_NAP_MILLIS = 250;

  private final SimulatorOptions options;
  private final ChangeSink sink;
  private final PrintStream log;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Map<String, Long> countsByKind = new TreeMap<>();
  private volatile boolean stopRequested;
  private long sent;
  private long lastCommitTime = Long.MIN_VALUE;
  private long nextProgressNanos;
  private String phase = "history";

  SimulatorRun(SimulatorOptions options, ChangeSink sink, PrintStream log) {
    this.options = options;
    this.sink = sink;
    this.log = log;
  }

  void requestStop() {
    stopRequested = true;
  }

  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the process exit code. */
  int execute() {
    long startedNanos = System.nanoTime();
    long historyEnd = System.currentTimeMillis();
    long start = historyEnd - Duration.ofDays(options.historyDays()).toMillis();
    int exitCode = 0;
    CrmSimulation simulation = null;
    try {
      simulation = new CrmSimulation(options.seed(), start);
      log.printf(Locale.ROOT, "crm-simulator: seed %d, %d day%s of history from %s, writing to %s%n",
          options.seed(), options.historyDays(), options.historyDays() == 1 ? "" : "s", instant(start), sink.describe());
      nextProgressNanos = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
      while (!finishedEarly() && simulation.step(historyEnd, this::emitAsSimulated)) {
        maybeReportProgress(simulation, start, historyEnd);
      }
      if (options.live() && !finishedEarly()) {
        phase = "live";
        log.printf(Locale.ROOT, "crm-simulator: history done (%,d events); live at %s times real speed, Ctrl-C to stop%n",
            sent, trim(options.speed()));
        runLive(simulation, historyEnd);
      }
    } catch (UncheckedIOException e) {
      log.println("crm-simulator: cannot write to " + sink.describe() + ": " + e.getCause().getMessage());
      exitCode = 1;
    } finally {
      exitCode = Math.max(exitCode, closeSink());
      summarise(simulation, start, startedNanos);
      finished.countDown();
    }
    return exitCode;
  }

  private void runLive(CrmSimulation simulation, long simulatedStart) {
    long wallStart = System.currentTimeMillis();
    while (!finishedEarly()) {
      long wall = System.currentTimeMillis();
      long target = simulatedStart + (long) ((wall - wallStart) * options.speed());
      while (!finishedEarly() && simulation.step(target, this::emitLive)) {
        maybeReportProgress(simulation, simulatedStart, Long.MAX_VALUE);
      }
      maybeReportProgress(simulation, simulatedStart, Long.MAX_VALUE);
      long next = simulation.nextEventTime();
      long due = next == Long.MAX_VALUE ? Long.MAX_VALUE
          : wallStart + (long) Math.ceil((next - simulatedStart) / options.speed());
      long nap = Math.max(1, Math.min(MAX_NAP_MILLIS, due - System.currentTimeMillis()));
      try {
        Thread.sleep(nap);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean finishedEarly() {
    return stopRequested || sent >= options.maxEvents() || sink.failure().isPresent();
  }

  private void emitAsSimulated(CrmChange change) {
    emit(change);
  }

  /** Live events carry the wall-clock time of emission, as a CRM's commit timestamps would. */
  private void emitLive(CrmChange change) {
    long commit = Math.max(System.currentTimeMillis(), lastCommitTime);
    emit(CrmChange.newBuilder(change).setCommitTime(commit).build());
  }

  private void emit(CrmChange change) {
    if (sent >= options.maxEvents() || sink.failure().isPresent()) {
      return;
    }
    try {
      sink.accept(change);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sent++;
    lastCommitTime = change.getCommitTime();
    String kind = change.getEntity().name().toLowerCase(Locale.ROOT) + " " + change.getChangeType().name().toLowerCase(Locale.ROOT);
    countsByKind.merge(kind, 1L, Long::sum);
  }

  private void maybeReportProgress(CrmSimulation simulation, long start, long end) {
    long now = System.nanoTime();
    if (now < nextProgressNanos) {
      return;
    }
    nextProgressNanos = now + PROGRESS_INTERVAL_NANOS;
    long simulated = simulation.simulatedTime();
    String share = end == Long.MAX_VALUE ? ""
        : String.format(Locale.ROOT, " (%.0f%%)", 100.0 * (simulated - start) / Math.max(1, end - start));
    log.printf(Locale.ROOT, "crm-simulator: %s: %,d events sent, %,d confirmed, simulated time %s%s%n",
        phase, sent, sink.delivered(), instant(simulated), share);
  }

  private int closeSink() {
    int exitCode = 0;
    try {
      sink.close();
    } catch (IOException | RuntimeException e) {
      log.println("crm-simulator: cannot finish writing to " + sink.describe() + ": " + e.getMessage());
      exitCode = 1;
    }
    Optional<String> failure = sink.failure();
    if (failure.isPresent()) {
      log.println("crm-simulator: " + failure.get());
      exitCode = 1;
    } else if (sink.delivered() < sent) {
      log.printf(Locale.ROOT, "crm-simulator: only %,d of %,d events were confirmed by %s%n",
          sink.delivered(), sent, sink.describe());
      exitCode = 1;
    }
    return exitCode;
  }

  private void summarise(CrmSimulation simulation, long start, long startedNanos) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    String why = stopRequested ? " (stopped)" : sent >= options.maxEvents() ? " (--max-events reached)" : "";
    log.printf(Locale.ROOT, "crm-simulator: done%s: %,d events sent to %s, %,d confirmed, in %.1f s%n",
        why, sent, sink.describe(), sink.delivered(), seconds);
    if (simulation != null) {
      log.printf(Locale.ROOT, "crm-simulator: simulated %s .. %s%n", instant(start), instant(simulation.simulatedTime()));
    }
    if (!countsByKind.isEmpty()) {
      StringBuilder kinds = new StringBuilder();
      countsByKind.forEach((kind, count) -> kinds.append(kinds.length() == 0 ? "" : ", ")
          .append(kind).append(' ').append(String.format(Locale.ROOT, "%,d", count)));
      log.println("crm-simulator: by kind: " + kinds);
    }
  }

  private static Instant instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
