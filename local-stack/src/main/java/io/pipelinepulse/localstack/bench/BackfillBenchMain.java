package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.config.ConfigException;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.localstack.cli.Args;
import io.pipelinepulse.localstack.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The backfill benchmark behind {@code local-stack/bench}: on a real Kafka broker (its own
 * process) it measures, in one run, the raw consume-and-decode rate of a topic of simulated
 * changes, the full job's throughput on the same topic, and the heap the job needs per open deal.
 * It prints figures; it never fails on a timing.
 */
public final class BackfillBenchMain {

  static final String BACKFILL_TOPIC = "bench.backfill";
  static final String EMPTY_TOPIC = "bench.empty";
  static final String OPEN_DEALS_TOPIC = "bench.open-deals";
  static final String KPI_TOPIC = "pulse.kpi";
  static final String DEAD_LETTER_TOPIC = "pulse.dead-letter";
  static final String ALERTS_TOPIC = "pulse.alerts";
  static final String RECONCILIATION_TOPIC = "pulse.reconciliation";
  /** The steady middle of a run: from this share of the topic counted ... */
  static final double STEADY_FROM = 0.2;
  /** ... to this one. */
  static final double STEADY_TO = 0.8;
  static final int INPUT_PARTITIONS = 4;
  private static final long MB = 1024 * 1024;
  private static final Duration WAIT_LIMIT = Duration.ofMinutes(30);
  /** How often the benchmark reads the job's endpoint (Prometheus itself would scrape every 5-15 s). */
  static final long POLL_MILLIS = 1000;

  private final PrintStream out;
  private final long changes;
  private final long openDeals;
  private final int parallelism;
  private final String extraYaml;
  private final Path brokerLib;
  private final Path runDir;
  private final boolean keepData;

  private BackfillBenchMain(PrintStream out, long changes, long openDeals, int parallelism, String extraYaml,
      Path brokerLib, Path runDir, boolean keepData) {
    this.out = out;
    this.changes = changes;
    this.openDeals = openDeals;
    this.parallelism = parallelism;
    this.extraYaml = extraYaml;
    this.brokerLib = brokerLib;
    this.runDir = runDir;
    this.keepData = keepData;
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "usage: local-stack/bench [--changes N] [--open-deals N] [--parallelism P] [--idle-timeout D]",
        "                         [--keep-data] [--no-build]",
        "",
        "Starts a Kafka broker (its own process, free loopback ports, data under local-stack/target/bench/),",
        "fills a 4-partition topic with N simulated CRM changes and measures, in the same run:",
        "  - the raw rate of one plain Kafka consumer decoding every record (records/s),",
        "  - the full Pipeline Pulse job's rate on the same backfill (embedded Flink, parallelism P),",
        "  - the job's heap per open deal with N open deals (heap state backend).",
        "",
        "  --changes N        simulated changes in the backfill topic (default 1000000)",
        "  --open-deals N     open deals for the heap figure (default 1000000; 0 skips it)",
        "  --parallelism P    parallelism of the job (default 2)",
        "  --idle-timeout D   clock.idle-timeout of the job on the backfill, e.g. 10m (default: the job's",
        "                     default, 10s); the heap runs always use 30m and move the clock with markers",
        "  --keep-data        keep the broker's data folder after the run",
        "  --no-build         do not build first, even if sources changed",
        "",
        "Figures only: nothing is compared with a threshold. Other load on the machine skews them.",
        "");
  }

  public static void main(String[] argv) {
    Args args;
    long changes;
    long openDeals;
    int parallelism;
    String extraYaml = "";
    Path brokerLib;
    Path workDir;
    try {
      args = Args.parse(argv,
          Set.of("--changes", "--open-deals", "--parallelism", "--idle-timeout", "--broker-lib", "--work-dir"),
          Set.of("--keep-data", "--help", "-h"));
      if (args.has("--help") || args.has("-h")) {
        System.out.print(usage());
        return;
      }
      if (!args.positional().isEmpty()) {
        throw new UsageException("unexpected argument " + args.positional().get(0));
      }
      changes = args.longValue("--changes", 1_000_000, 1);
      openDeals = args.longValue("--open-deals", 1_000_000, 0);
      parallelism = (int) args.longValue("--parallelism", 2, 1);
      if (parallelism > 64) {
        throw new UsageException("option --parallelism must be at most 64, got " + parallelism);
      }
      if (args.has("--idle-timeout")) {
        extraYaml = "clock:\n  idle-timeout: " + args.string("--idle-timeout", null) + "\n  backlog-idle-timeout: "
            + args.string("--idle-timeout", null) + "\n";
        try {
          PulseConfigLoader.fromYaml(extraYaml);
        } catch (ConfigException e) {
          throw new UsageException("option --idle-timeout: " + e.getMessage());
        }
      }
      brokerLib = Path.of(args.string("--broker-lib", "local-stack/broker/target/lib"));
      workDir = Path.of(args.string("--work-dir", "local-stack/target/bench"));
    } catch (UsageException e) {
      System.err.println("local-stack/bench: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(2);
      return;
    }
    Path runDir = workDir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
        .toAbsolutePath();
    int code;
    try {
      Files.createDirectories(runDir);
      code = new BackfillBenchMain(System.out, changes, openDeals, parallelism, extraYaml, brokerLib, runDir,
          args.has("--keep-data")).run();
    } catch (JobRestartedException e) {
      System.err.println("local-stack/bench: " + e.getMessage() + ".");
      System.err.println("The figures of this run are not valid. Flink's and Kafka's log: "
          + workDir.resolve("bench-job.log").toAbsolutePath());
      code = 1;
    } catch (Exception | LinkageError e) {
      System.err.println("local-stack/bench: " + e);
      e.printStackTrace(System.err);
      code = 1;
    }
    System.out.flush();
    // Flink and Kafka client threads may linger; the run is over.
    System.exit(code);
  }

  private int run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    log("Pipeline Pulse backfill benchmark: %,d changes, %,d open deals, parallelism %d, %d cores, max heap %,d MB",
        changes, openDeals, parallelism, cores, Runtime.getRuntime().maxMemory() / MB);
    log("run folder %s; load average %s", runDir, loadAverage());
    BrokerProcess broker = BrokerProcess.start(brokerLib, runDir, out);
    Thread stopBroker = new Thread(broker::close, "stop-bench-broker");
    Runtime.getRuntime().addShutdownHook(stopBroker);
    try {
      broker.createTopic(BACKFILL_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(EMPTY_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(OPEN_DEALS_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(KPI_TOPIC, 2);
      broker.createTopic(DEAD_LETTER_TOPIC, 2);
      // Every topic the job writes exists before any measurement: none is created on a first write.
      broker.createTopic(ALERTS_TOPIC, 2);
      broker.createTopic(RECONCILIATION_TOPIC, 1);
      String servers = broker.bootstrapServers();

      // ---- 1. the backfill topic ----------------------------------------------------------------
      log("filling %s (%d partitions) with %,d simulated changes ...", BACKFILL_TOPIC, INPUT_PARTITIONS, changes);
      SimulatedBackfill.Result fill = SimulatedBackfill.fill(servers, BACKFILL_TOPIC, changes, out);
      log("  %,d changes of %d organisation(s), commit times %s .. %s, sent in %.1f s (%,.0f/s)", fill.sent(),
          fill.organisations(), day(fill.firstCommit()), Instant.ofEpochMilli(fill.lastCommit()), fill.seconds(),
          fill.sent() / fill.seconds());

      // ---- 2. raw consume + decode --------------------------------------------------------------
      log("raw: one KafkaConsumer reads %s from the start and decodes every value (2 passes, the 1st warms up)",
          BACKFILL_TOPIC);
      RawConsumeRate.Result warmUp = RawConsumeRate.measure(servers, BACKFILL_TOPIC);
      log("  pass 1: %,d records in %.2f s = %,.0f records/s", warmUp.records(), warmUp.seconds(), warmUp.perSecond());
      RawConsumeRate.Result raw = RawConsumeRate.measure(servers, BACKFILL_TOPIC);
      log("  pass 2: %,d records in %.2f s = %,.0f records/s", raw.records(), raw.seconds(), raw.perSecond());
      if (raw.records() != changes) {
        log("  NOTE: the raw consumer read %,d records, not %,d", raw.records(), changes);
      }

      // ---- 3. the job on the same backfill ------------------------------------------------------
      log("job: the full topology at parallelism %d reads %s from the start ... (load average %s)", parallelism,
          BACKFILL_TOPIC, loadAverage());
      Map<TopicPartition, Long> deadLettersBefore = TopicSummary.endOffsets(servers, DEAD_LETTER_TOPIC);
      Map<TopicPartition, Long> kpisBefore = TopicSummary.endOffsets(servers, KPI_TOPIC);
      JobThroughput job = measureJob(servers);
      List<Map.Entry<String, Long>> byMetric = TopicSummary.snapshotsByMetric(servers, KPI_TOPIC, kpisBefore);
      long kpisWritten = byMetric.stream().mapToLong(Map.Entry::getValue).sum();
      log("  the job wrote %,d KPI snapshots to %s (%.1f per input change); the most frequent:", kpisWritten,
          KPI_TOPIC, kpisWritten / (double) changes);
      for (Map.Entry<String, Long> metric : byMetric.subList(0, Math.min(5, byMetric.size()))) {
        log("    %-40s %,d", metric.getKey(), metric.getValue());
      }
      List<String> deadLetters = TopicSummary.deadLetters(servers, DEAD_LETTER_TOPIC, deadLettersBefore);
      for (String line : deadLetters) {
        log("  dead letters, %s", line);
      }

      // ---- 4. heap per open deal ------------------------------------------------------------------
      HeapResult heap = openDeals > 0 ? measureHeap(broker) : null;

      // ---- report ---------------------------------------------------------------------------------
      long notAccepted = job.total() - job.outcomes().getOrDefault("accepted", 0L);
      out.println();
      out.printf(Locale.ROOT, "Pipeline Pulse backfill benchmark (%d cores, parallelism %d)%n", cores, parallelism);
      out.printf(Locale.ROOT, "  changes in topic              %,d  (%d partitions, %d simulated organisation%s)%n",
          fill.sent(), INPUT_PARTITIONS, fill.organisations(), fill.organisations() == 1 ? "" : "s");
      out.printf(Locale.ROOT, "  raw consume + decode          %,.0f records/s  (1 consumer thread)%n", raw.perSecond());
      if (!Double.isNaN(job.steadyRate())) {
        out.printf(Locale.ROOT, "  job (full topology)           %,.0f records/s  (%.3f of raw; steady middle: %.0f%% to"
            + " %.0f%% of the topic counted)%n", job.steadyRate(), job.steadyRate() / raw.perSecond(),
            STEADY_FROM * 100, STEADY_TO * 100);
      }
      out.printf(Locale.ROOT, "      whole run                 %,.0f records/s  (%.3f of raw; all counted %.1f s after"
          + " submission)%n", job.rate(), job.rate() / raw.perSecond(), job.secondsToAll());
      if (!Double.isNaN(job.afterStartRate())) {
        out.printf(Locale.ROOT, "      without start-up          %,.0f records/s  (from the first count, %.1f s after"
            + " submission)%n", job.afterStartRate(), job.secondsToFirstCount());
      }
      out.printf(Locale.ROOT, "      input outcomes            %s%n", outcomes(job.outcomes()));
      if (notAccepted > 0) {
        out.printf(Locale.ROOT, "      NOTE: %,d of %,d changes (%.0f%%) were not accepted: the rate is not that of a"
            + " clean backfill%n", notAccepted, job.total(), 100.0 * notAccepted / job.total());
      }
      if (heap != null) {
        out.printf(Locale.ROOT, "  heap per open deal (%s open)  ~%,.0f bytes  (baseline heap %,d MB)%n",
            compact(heap.deals()), heap.perDeal(), heap.baseline() / MB);
        out.printf(Locale.ROOT, "      estimate: (used heap after GC with the deals - the same job after an empty"
            + " topic) / deals;%n      it includes the de-duplication ids of the %,d creations (kept for"
            + " dedup.retention); heap state backend%n", openDeals);
        if (heap.deals() != openDeals) {
          out.printf(Locale.ROOT, "      NOTE: only %,d of the %,d deals were accepted (see input outcomes above)%n",
              heap.deals(), openDeals);
        }
      }
      out.printf(Locale.ROOT, "  load average at the end       %s  (other work on the machine skews every figure)%n",
          loadAverage());
      out.println();
      return 0;
    } finally {
      broker.close();
      Runtime.getRuntime().removeShutdownHook(stopBroker);
      if (!keepData) {
        deleteTree(runDir.resolve("kafka-data"));
        deleteTree(runDir.resolve("checkpoints"));
      }
    }
  }

  /**
   * @param rate input events per second from submission until all were counted (start-up included)
   * @param afterStartRate the same from the first published count on
   */
  record JobThroughput(double rate, double secondsToAll, double afterStartRate, double secondsToFirstCount,
      double steadyRate, long total, Map<String, Long> outcomes) {}

  private JobThroughput measureJob(String servers) throws Exception {
    List<long[]> samples = new ArrayList<>(); // {nanos, count}
    long total;
    long doneNanos;
    Map<String, Long> outcomes;
    try (JobRun job = JobRun.start(servers, BACKFILL_TOPIC, parallelism, runDir.resolve("checkpoints"), extraYaml)) {
      long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
      long nextReport = System.nanoTime() + 10_000_000_000L;
      long last = -1;
      while (true) {
        String page;
        try {
          page = job.pageOrNull();
        } catch (JobRestartedException e) {
          log("  the job stopped running after %,d of %,d changes were counted", Math.max(last, 0), changes);
          throw e;
        }
        long now = System.nanoTime();
        if (page != null) {
          long count = Math.round(MetricsEndpoint.sum(page, JobRun.INPUT_EVENTS));
          if (count != last) {
            samples.add(new long[] {now, count});
            last = count;
          }
          if (count >= changes) {
            doneNanos = now;
            total = count;
            outcomes = MetricsEndpoint.inputEventsBy(page, "outcome");
            log("  input events by entity and outcome: %s", byEntityAndOutcome(page));
            break;
          }
        }
        if (now > nextReport) {
          nextReport = now + 10_000_000_000L;
          log("  ... %,d of %,d counted (load average %s)", Math.max(last, 0), changes, loadAverage());
        }
        if (now > deadline) {
          throw new IllegalStateException("the job did not count all " + changes + " changes within "
              + WAIT_LIMIT.toMinutes() + " minutes");
        }
        // Not faster: every scrape renders the whole page inside the job and competes with it.
        Thread.sleep(POLL_MILLIS);
      }
      double secondsToAll = (doneNanos - job.submittedNanos()) / 1e9;
      // The first count is published about a second after the first records are counted; from it on
      // the rate leaves out the start of the embedded cluster and of the Kafka source.
      long[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
      double firstSeconds = (first[0] - job.submittedNanos()) / 1e9;
      double afterStart = first[1] >= total ? Double.NaN
          : (total - first[1]) / Math.max(1e-3, (doneNanos - first[0]) / 1e9);
      log("  all %,d counted %.1f s after submission = %,.0f records/s; first count after %.1f s, from it on"
          + " %,.0f records/s", total, secondsToAll, total / secondsToAll, firstSeconds, afterStart);
      if (total > changes) {
        log("  NOTE: the job counted %,d input events, more than the %,d in the topic", total, changes);
      }
      double steady = SteadyRate.between(samples, total, STEADY_FROM, STEADY_TO);
      log("  steady middle (%.0f%% to %.0f%% counted): %,.0f records/s", STEADY_FROM * 100, STEADY_TO * 100, steady);
      return new JobThroughput(total / secondsToAll, secondsToAll, afterStart, firstSeconds, steady, total, outcomes);
    }
  }

  private static String byEntityAndOutcome(String page) {
    StringBuilder text = new StringBuilder();
    for (String entity : MetricsEndpoint.inputEventsBy(page, "entity").keySet()) {
      text.append(text.length() == 0 ? "" : "; ").append(entity).append(' ')
          .append(outcomes(MetricsEndpoint.inputEventsBy(page, "outcome", entity)));
    }
    return text.toString();
  }

  private static String outcomes(Map<String, Long> outcomes) {
    StringBuilder text = new StringBuilder();
    outcomes.forEach((outcome, count) -> text.append(text.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s %,d", outcome, count)));
    return text.toString();
  }

  record HeapResult(long baseline, long loaded, long deals, double perDeal) {}

  private HeapResult measureHeap(BrokerProcess broker) throws Exception {
    String servers = broker.bootstrapServers();
    long idle = HeapMeter.usedAfterGc();
    log("heap: used heap after GC with no job running: %,d MB", idle / MB);

    // Heap is about state, not about the clock: a long idle timeout, so that a stalled start cannot
    // make the deals late (see the backfill's outcomes), and a marker per partition after the
    // deals moves the clock past them all. The rest is the job's default configuration.
    String layers = "clock:\n  idle-timeout: 30m\n  backlog-idle-timeout: 30m\n" + OpenDeals.directoryYaml();
    log("heap baseline: the same job on the empty topic %s ...", EMPTY_TOPIC);
    long baseline;
    try (JobRun job = JobRun.start(servers, EMPTY_TOPIC, parallelism, runDir.resolve("checkpoints"), layers)) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (job.pageOrNull() == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the job's metrics endpoint did not come up within 3 minutes");
        }
        Thread.sleep(100);
      }
      // Past the first checkpoint.
      Thread.sleep(12_000);
      job.pageOrNull();
      baseline = HeapMeter.usedAfterGc();
    }
    log("  used heap after GC: %,d MB", baseline / MB);

    log("filling %s with %,d open opportunities ...", OPEN_DEALS_TOPIC, openDeals);
    long began = System.nanoTime();
    int markers = OpenDeals.fill(servers, OPEN_DEALS_TOPIC, openDeals, INPUT_PARTITIONS, out);
    log("  sent in %.1f s, then %d activities, one per partition, that move the job's clock past the deals",
        (System.nanoTime() - began) / 1e9, markers);

    log("heap with open deals: the job reads %s ... (load average %s)", OPEN_DEALS_TOPIC, loadAverage());
    long loaded;
    long deals;
    try (JobRun job = JobRun.start(servers, OPEN_DEALS_TOPIC, parallelism, runDir.resolve("checkpoints"), layers)) {
      job.awaitSum(JobRun.INPUT_EVENTS, sum -> sum >= openDeals + markers, WAIT_LIMIT);
      String page = job.pageOrNull();
      deals = MetricsEndpoint.inputEventsBy(page == null ? "" : page, "outcome", "opportunity")
          .getOrDefault("accepted", 0L);
      log("  all consumed after %.1f s (%s); waiting until every deal is applied (the clock passes it) ...",
          (System.nanoTime() - job.submittedNanos()) / 1e9, page == null ? "" : byEntityAndOutcome(page));
      long expected = deals;
      job.awaitSum(JobRun.OPEN_DEALS, sum -> sum >= expected, WAIT_LIMIT);
      log("  pulse_open_deals = %,d after %.1f s", deals, (System.nanoTime() - job.submittedNanos()) / 1e9);
      Thread.sleep(2_000);
      job.pageOrNull();
      loaded = HeapMeter.usedAfterGc();
    }
    double perDeal = (loaded - baseline) / (double) Math.max(1, deals);
    log("  used heap after GC: %,d MB; (%,d - %,d) / %,d = %,.0f bytes per open deal", loaded / MB, loaded, baseline,
        deals, perDeal);
    return new HeapResult(baseline, loaded, deals, perDeal);
  }

  private void log(String format, Object... args) {
    out.printf(Locale.ROOT, "%s  %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
        String.format(Locale.ROOT, format, args));
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String day(long millis) {
    return Instant.ofEpochMilli(millis).toString().substring(0, 10);
  }

  private static String compact(long n) {
    if (n % 1_000_000 == 0) {
      return (n / 1_000_000) + "M";
    }
    if (n % 1_000 == 0) {
      return (n / 1_000) + "k";
    }
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
