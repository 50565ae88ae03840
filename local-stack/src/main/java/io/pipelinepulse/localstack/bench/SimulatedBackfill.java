package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.localstack.simulator.CrmSimulation;
import io.pipelinepulse.schema.CrmChange;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Fills a topic with the simulator's canonical changes of several organisations (one seed each)
 * over a long span of the past, merged in commit-time order, so that no change is late for the
 * job's clock, until the wanted number of changes is reached. Published with the project's
 * {@link ChangeProducer}: key = record id, value = Avro single-object encoding.
 */
final class SimulatedBackfill {

  static final long DAY = Duration.ofDays(1).toMillis();
  /** How far back the history starts at most. */
  static final long SPAN = 730 * DAY;
  /** The newest commit time stays this far behind the wall clock. */
  static final long MARGIN = Duration.ofMinutes(10).toMillis();
  /** The organisations advance together one slice at a time; each slice is sorted by commit time. */
  static final long SLICE = Duration.ofHours(6).toMillis();
  /** Seeds of the organisations: distinct modulo 36^4, so their record ids never collide. */
  static final long FIRST_SEED = 1001;

  record Result(long sent, int organisations, long firstCommit, long lastCommit, double seconds) {}

  private SimulatedBackfill() {}

  /** Changes one organisation produces over {@link #SPAN}, estimated from a shorter run. */
  static double changesPerOrganisation(long end) {
    long start = end - 120 * DAY;
    long changes = new CrmSimulation(FIRST_SEED - 1, start).runUntil(end, change -> { });
    return changes * (SPAN / (double) (120 * DAY));
  }

  /** What {@link #generate} produced. */
  record Generated(long changes, int organisations, long firstCommit, long lastCommit) {}

  /**
   * Hands {@code wanted} changes to {@code sink} in commit-time order: the histories of enough
   * organisations over the two years that end {@link #MARGIN} before {@code now}, merged.
   */
  static Generated generate(long wanted, long now, Consumer<CrmChange> sink, PrintStream log) {
    long end = now - MARGIN;
    long start = end - SPAN;
    double perOrganisation = changesPerOrganisation(end);
    // 20% more organisations than the estimate needs: the run stops as soon as it has enough.
    int organisations = (int) Math.max(1, Math.ceil(wanted * 1.2 / perOrganisation));
    log.printf(Locale.ROOT, "  simulating %d organisation%s (seeds %d..%d) from %s, ~%,.0f changes each over 2 years%n",
        organisations, organisations == 1 ? "" : "s", FIRST_SEED, FIRST_SEED + organisations - 1,
        Instant.ofEpochMilli(start).toString().substring(0, 10), perOrganisation);
    List<CrmSimulation> simulations = new ArrayList<>();
    for (int i = 0; i < organisations; i++) {
      simulations.add(new CrmSimulation(FIRST_SEED + i, start));
    }
    long sent = 0;
    long firstCommit = Long.MAX_VALUE;
    long lastCommit = Long.MIN_VALUE;
    List<CrmChange> slice = new ArrayList<>();
    for (long until = Math.min(end, start + SLICE); sent < wanted; until = Math.min(end, until + SLICE)) {
      slice.clear();
      for (CrmSimulation simulation : simulations) {
        simulation.runUntil(until, slice::add);
      }
      // Stable: each organisation's own order (sequence within a commit time) is kept.
      slice.sort(Comparator.comparingLong(CrmChange::getCommitTime));
      for (CrmChange change : slice) {
        if (sent >= wanted) {
          break;
        }
        sink.accept(change);
        sent++;
        firstCommit = Math.min(firstCommit, change.getCommitTime());
        lastCommit = Math.max(lastCommit, change.getCommitTime());
      }
      if (until >= end && sent < wanted) {
        throw new IllegalStateException("the simulated organisations produced only " + sent + " changes up to "
            + Instant.ofEpochMilli(end) + "; " + wanted + " wanted");
      }
    }
    return new Generated(sent, organisations, firstCommit, lastCommit);
  }

  static Result fill(String bootstrapServers, String topic, long wanted, PrintStream log) {
    long began = System.nanoTime();
    long[] nextReport = {began + 5_000_000_000L};
    long[] sent = {0};
    Generated generated;
    try (ChangeProducer producer = new ChangeProducer(bootstrapServers, topic, "pulse-bench-backfill")) {
      generated = generate(wanted, System.currentTimeMillis(), change -> {
        producer.send(change, null);
        sent[0]++;
        if ((sent[0] & 0x3ff) == 0) {
          if (producer.fatalFailure().isPresent()) {
            throw new IllegalStateException("cannot publish to " + topic + ": "
                + ChangeProducer.describe(producer.fatalFailure().get()));
          }
          if (System.nanoTime() > nextReport[0]) {
            nextReport[0] = System.nanoTime() + 5_000_000_000L;
            log.printf(Locale.ROOT, "  ... %,d of %,d changes sent (simulated up to %s)%n", sent[0], wanted,
                Instant.ofEpochMilli(change.getCommitTime()).toString().substring(0, 10));
          }
        }
      }, log);
      producer.flush();
      if (producer.acknowledged() != generated.changes()) {
        throw new IllegalStateException("only " + producer.acknowledged() + " of " + generated.changes()
            + " changes were acknowledged"
            + producer.fatalFailure().map(e -> ": " + ChangeProducer.describe(e)).orElse(""));
      }
    }
    return new Result(generated.changes(), generated.organisations(), generated.firstCommit(), generated.lastCommit(),
        (System.nanoTime() - began) / 1e9);
  }
}
