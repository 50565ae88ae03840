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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The backfill benchmark behind {@code local-stack/bench}: on a real Kafka broker (its own
 * process) it measures, in one run, the raw consume-and-decode rate of a topic of simulated
 * changes (one and two consumers), the full job's throughput on the same topic and on a dense
 * history of as many changes, the CPU time the job and the broker spend per change, what the job
 * writes per change, the heap the job needs per open deal and per remembered event id, and the
 * change-to-metric latency of the job running live. It prints figures; it never fails on a timing.
 */
public final class BackfillBenchMain {

  static final String BACKFILL_TOPIC = "bench.backfill";
  static final String DENSE_TOPIC = "bench.dense";
  static final String EMPTY_TOPIC = "bench.empty";
  static final String OPEN_DEALS_TOPIC = "bench.open-deals";
  static final String UPDATED_DEALS_TOPIC = "bench.open-deals-updated";
  static final String LIVE_TOPIC = "bench.live";
  static final String KPI_TOPIC = "pulse.kpi";
  static final String DEAD_LETTER_TOPIC = "pulse.dead-letter";
  static final String ALERTS_TOPIC = "pulse.alerts";
  static final String RECONCILIATION_TOPIC = "pulse.reconciliation";
  /** The steady middle of a run: from this share of the topic counted ... */
  static final double STEADY_FROM = 0.2;
  /** ... to this one. */
  static final double STEADY_TO = 0.8;
  static final int INPUT_PARTITIONS = 4;
  /** The job's default parallelism: the raw rate is also read with as many consumers. */
  static final int RAW_THREADS = 2;
  /** Changes per deal in the second heap run: the creation and 3 amount edits. */
  static final int CHANGES_PER_DEAL = 4;
  static final List<String> OUTPUT_TOPICS = List.of(KPI_TOPIC, ALERTS_TOPIC, DEAD_LETTER_TOPIC, RECONCILIATION_TOPIC);
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
  private final boolean measureLatency;

  private BackfillBenchMain(PrintStream out, long changes, long openDeals, int parallelism, String extraYaml,
      Path brokerLib, Path runDir, boolean keepData, boolean measureLatency) {
    this.out = out;
    this.changes = changes;
    this.openDeals = openDeals;
    this.parallelism = parallelism;
    this.extraYaml = extraYaml;
    this.brokerLib = brokerLib;
    this.runDir = runDir;
    this.keepData = keepData;
    this.measureLatency = measureLatency;
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "usage: local-stack/bench [--changes N] [--open-deals N] [--parallelism P] [--idle-timeout D]",
        "                         [--no-latency] [--keep-data] [--no-build]",
        "",
        "Starts a Kafka broker (its own process, free loopback ports, data under local-stack/target/bench/),",
        "fills a 4-partition topic with N simulated CRM changes (sparse: two years of simulated organisations)",
        "and another with N changes of a dense history (a few hours, tens of changes per deal and lead),",
        "and measures, in the same run:",
        "  - the raw rate of plain Kafka consumers decoding every record of the sparse topic (records/s),",
        "    with 1 consumer thread and with 2 (the partitions split between them),",
        "  - the full Pipeline Pulse job's rate on the sparse and on the dense topic (embedded Flink,",
        "    parallelism P), each as a ratio to both raw rates,",
        "  - CPU time per change during each of those two job runs: the job's (this JVM's) and the broker's,",
        "  - records and bytes (key + value) the job writes to its output topics per input change (sparse),",
        "  - the job's heap per open deal with N open deals (heap state backend), and per remembered event",
        "    id from a second run where each deal has 4 changes,",
        "  - change-to-metric latency (p50, p99) of the job running live: deal creations paced at half the",
        "    sparse rate, clock.out-of-orderness 5s, read from the KPI topic's record timestamps.",
        "The last line sums it up: bench: job/raw X (2 consumers: Y), heap per open deal N B, p99 ... ms",
        "",
        "  --changes N        changes in the sparse and in the dense topic (default 1000000)",
        "  --open-deals N     open deals for the heap figures (default 1000000; 0 skips them)",
        "  --parallelism P    parallelism of the job (default 2)",
        "  --idle-timeout D   clock.idle-timeout of the job on the sparse and dense topics, e.g. 10m (default:",
        "                     the job's, 10s); the heap runs always use 30m and move the clock with markers;",
        "                     the live latency run uses the job's default",
        "  --no-latency       skip the live latency phase (about a minute and a half)",
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
          Set.of("--keep-data", "--no-latency", "--help", "-h"));
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
          args.has("--keep-data"), !args.has("--no-latency")).run();
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
      broker.createTopic(DENSE_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(EMPTY_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(OPEN_DEALS_TOPIC, INPUT_PARTITIONS);
      broker.createTopic(UPDATED_DEALS_TOPIC, INPUT_PARTITIONS);
      // One partition: the creations reach the job in the order they were numbered.
      broker.createTopic(LIVE_TOPIC, 1);
      broker.createTopic(KPI_TOPIC, 2);
      broker.createTopic(DEAD_LETTER_TOPIC, 2);
      // Every topic the job writes exists before any measurement: none is created on a first write.
      broker.createTopic(ALERTS_TOPIC, 2);
      broker.createTopic(RECONCILIATION_TOPIC, 1);
      String servers = broker.bootstrapServers();

      // ---- 1. the backfill topics ---------------------------------------------------------------
      log("filling %s (%d partitions) with %,d simulated changes ...", BACKFILL_TOPIC, INPUT_PARTITIONS, changes);
      SimulatedBackfill.Result fill = SimulatedBackfill.fill(servers, BACKFILL_TOPIC, changes, out);
      log("  %,d changes of %d organisation(s), commit times %s .. %s, sent in %.1f s (%,.0f/s)", fill.sent(),
          fill.organisations(), day(fill.firstCommit()), Instant.ofEpochMilli(fill.lastCommit()), fill.seconds(),
          fill.sent() / fill.seconds());
      log("filling %s (%d partitions) with a dense history of %,d changes ...", DENSE_TOPIC, INPUT_PARTITIONS,
          changes);
      long denseBegan = System.nanoTime();
      DenseHistory.Generated[] denseRef = new DenseHistory.Generated[1];
      long now = System.currentTimeMillis();
      TopicFill.publish(servers, DENSE_TOPIC, "dense changes", changes,
          send -> denseRef[0] = DenseHistory.generate(changes, now, send), out);
      DenseHistory.Generated dense = denseRef[0];
      log("  %,d changes: %,d deals and %,d leads (~%.0f changes each, activities included), commit times %s .. %s"
          + " (%,.0f per minute), up to %d s out of order; sent in %.1f s", dense.changes(), dense.deals(),
          dense.leads(), dense.changes() / (double) Math.max(1, dense.deals() + dense.leads()),
          Instant.ofEpochMilli(dense.firstCommit()), Instant.ofEpochMilli(dense.lastCommit()), perMinute(dense),
          DenseHistory.JITTER / 1000, (System.nanoTime() - denseBegan) / 1e9);

      // ---- 2. raw consume + decode --------------------------------------------------------------
      // Both warm-up passes first, so neither measured pass runs on colder code than the other.
      log("raw: warm-up passes over %s, one KafkaConsumer, then %d on %d threads at once", BACKFILL_TOPIC,
          RAW_THREADS, RAW_THREADS);
      RawConsumeRate.Result warmUp = RawConsumeRate.measure(servers, BACKFILL_TOPIC);
      log("  1 consumer:  %,d records in %.2f s = %,.0f records/s", warmUp.records(), warmUp.seconds(),
          warmUp.perSecond());
      RawConsumeRate.Result warmUp2 = RawConsumeRate.measure(servers, BACKFILL_TOPIC, RAW_THREADS);
      log("  %d consumers: %,d records in %.2f s = %,.0f records/s", RAW_THREADS, warmUp2.records(),
          warmUp2.seconds(), warmUp2.perSecond());
      log("raw: one KafkaConsumer reads %s from the start and decodes every value", BACKFILL_TOPIC);
      RawConsumeRate.Result raw = RawConsumeRate.measure(servers, BACKFILL_TOPIC);
      log("  %,d records in %.2f s = %,.0f records/s", raw.records(), raw.seconds(), raw.perSecond());
      if (raw.records() != changes) {
        log("  NOTE: the raw consumer read %,d records, not %,d", raw.records(), changes);
      }
      log("raw: %d KafkaConsumers on %d threads read %s at once, the partitions split between them %s", RAW_THREADS,
          RAW_THREADS, BACKFILL_TOPIC, shares());
      RawConsumeRate.Result raw2 = RawConsumeRate.measure(servers, BACKFILL_TOPIC, RAW_THREADS);
      log("  %,d records in %.2f s = %,.0f records/s (until both finished)", raw2.records(), raw2.seconds(),
          raw2.perSecond());
      if (raw2.records() != changes) {
        log("  NOTE: the raw consumers read %,d records, not %,d", raw2.records(), changes);
      }

      // ---- 3. the job on the same backfill ------------------------------------------------------
      log("job: the full topology at parallelism %d reads %s from the start ... (load average %s)", parallelism,
          BACKFILL_TOPIC, loadAverage());
      Map<String, Map<TopicPartition, Long>> outputsBefore = new LinkedHashMap<>();
      for (String topic : OUTPUT_TOPICS) {
        outputsBefore.put(topic, TopicSummary.endOffsets(servers, topic));
      }
      JobThroughput job = measureJob(broker, BACKFILL_TOPIC, changes);
      Map<String, TopicSummary.Volume> written = new LinkedHashMap<>();
      for (String topic : OUTPUT_TOPICS) {
        Map<TopicPartition, Long> before = outputsBefore.get(topic);
        long records = TopicSummary.written(before, TopicSummary.endOffsets(servers, topic));
        TopicSummary.Volume read;
        if (topic.equals(KPI_TOPIC)) {
          TopicSummary.Snapshots snapshots = TopicSummary.snapshotsByMetric(servers, KPI_TOPIC, before);
          read = snapshots.volume();
          List<Map.Entry<String, Long>> byMetric = snapshots.byMetric();
          log("  the job wrote %,d KPI snapshots to %s (%.1f per input change); the most frequent:", read.records(),
              KPI_TOPIC, read.records() / (double) changes);
          for (Map.Entry<String, Long> metric : byMetric.subList(0, Math.min(5, byMetric.size()))) {
            log("    %-40s %,d", metric.getKey(), metric.getValue());
          }
        } else {
          read = TopicSummary.volume(servers, topic, before);
        }
        if (read.records() != records) {
          log("  NOTE: %s grew by %,d records but %,d were read", topic, records, read.records());
        }
        written.put(topic, new TopicSummary.Volume(records, read.bytes()));
      }
      log("  written per input change: %s", perChange(written, changes));
      for (String line : TopicSummary.deadLetters(servers, DEAD_LETTER_TOPIC, outputsBefore.get(DEAD_LETTER_TOPIC))) {
        log("  dead letters, %s", line);
      }

      // ---- 4. the job on the dense history --------------------------------------------------------
      log("job: the full topology at parallelism %d reads %s from the start ... (load average %s)", parallelism,
          DENSE_TOPIC, loadAverage());
      Map<TopicPartition, Long> deadLettersBeforeDense = TopicSummary.endOffsets(servers, DEAD_LETTER_TOPIC);
      Map<TopicPartition, Long> kpisBeforeDense = TopicSummary.endOffsets(servers, KPI_TOPIC);
      JobThroughput denseJob = measureJob(broker, DENSE_TOPIC, dense.changes());
      log("  written per input change: %s %.3f records", KPI_TOPIC,
          TopicSummary.written(kpisBeforeDense, TopicSummary.endOffsets(servers, KPI_TOPIC)) / (double) dense.changes());
      for (String line : TopicSummary.deadLetters(servers, DEAD_LETTER_TOPIC, deadLettersBeforeDense)) {
        log("  dead letters, %s", line);
      }

      // ---- 5. heap per open deal and per remembered event id -------------------------------------
      HeapResult heap = openDeals > 0 ? measureHeap(broker) : null;

      // ---- 6. change-to-metric latency, live ------------------------------------------------------
      LiveLatency.Result latency = null;
      if (measureLatency) {
        double capacity = job.bestRate();
        double pace = LiveLatency.pace(capacity);
        log("latency: the job reads %s live (clock.out-of-orderness %d s); one producer thread sends deal creations at"
            + " %,.0f/s (half of %,.0f/s, within %,.0f..%,.0f), committed at their send, %d s warm-up, %d s"
            + " measured, %d s more ... (load average %s)", LIVE_TOPIC, LiveLatency.BOUND.toSeconds(), pace, capacity,
            LiveLatency.SLOWEST, LiveLatency.FASTEST, LiveLatency.WARM_UP.toSeconds(),
            LiveLatency.MEASURED.toSeconds(), LiveLatency.TAIL.toSeconds(), loadAverage());
        latency = LiveLatency.measure(servers, LIVE_TOPIC, KPI_TOPIC, parallelism, runDir.resolve("checkpoints"), pace,
            out);
        log("  %,d measured creations: p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms%s", latency.measured(), latency.p50(),
            latency.p99(), latency.max(), latency.neverSeen() == 0 ? ""
                : String.format(Locale.ROOT, "; %,d never seen in %s", latency.neverSeen(), KPI_TOPIC));
      }

      // ---- report ---------------------------------------------------------------------------------
      long notAccepted = job.total() - job.outcomes().getOrDefault("accepted", 0L);
      out.println();
      out.printf(Locale.ROOT, "Pipeline Pulse backfill benchmark (%d cores, parallelism %d)%n", cores, parallelism);
      out.printf(Locale.ROOT, "  changes in topic              %,d  (%d partitions, %d simulated organisation%s)%n",
          fill.sent(), INPUT_PARTITIONS, fill.organisations(), fill.organisations() == 1 ? "" : "s");
      out.printf(Locale.ROOT, "  raw consume + decode          %,.0f records/s  (1 consumer thread)%n", raw.perSecond());
      out.printf(Locale.ROOT, "      with %d consumers          %,.0f records/s  (%d threads at once, the partitions split"
          + " between them; %.2f x 1 thread)%n", RAW_THREADS, raw2.perSecond(), RAW_THREADS,
          raw2.perSecond() / raw.perSecond());
      if (!Double.isNaN(job.steadyRate())) {
        out.printf(Locale.ROOT, "  job (full topology)           %,.0f records/s  (%.3f of raw; steady middle: %.0f%% to"
            + " %.0f%% of the topic counted)%n", job.steadyRate(), job.steadyRate() / raw.perSecond(),
            STEADY_FROM * 100, STEADY_TO * 100);
        out.printf(Locale.ROOT, "      against %d consumers       %.3f of raw with %d consumer threads%n", RAW_THREADS,
            job.steadyRate() / raw2.perSecond(), RAW_THREADS);
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
      out.printf(Locale.ROOT, "      CPU per change            %s%n", cpu(job));
      TopicSummary.Volume all = total(written);
      out.printf(Locale.ROOT, "      written per change        %.2f records, %,.0f bytes  (key + value, all output"
          + " topics)%n", all.records() / (double) changes, all.bytes() / (double) changes);
      out.printf(Locale.ROOT, "          by topic              %s%n", perChange(written, changes));
      printDense(dense, denseJob, raw, raw2);
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
        out.printf(Locale.ROOT, "      with %d changes per deal   ~%,.0f bytes  (the creation and %d amount edits that"
            + " keep it open)%n", CHANGES_PER_DEAL, heap.updated().perDeal(), CHANGES_PER_DEAL - 1);
        if (heap.updated().deals() != openDeals) {
          out.printf(Locale.ROOT, "      NOTE: only %,d of the %,d deals had all %d changes accepted%n",
              heap.updated().deals(), openDeals, CHANGES_PER_DEAL);
        }
        out.printf(Locale.ROOT, "  heap per remembered event id  ~%,.0f bytes  ((per deal with %d changes - per deal"
            + " with 1) / %d)%n", heap.perEventId(), CHANGES_PER_DEAL, CHANGES_PER_DEAL - 1);
      }
      if (latency != null) {
        long boundMillis = LiveLatency.BOUND.toMillis();
        out.printf(Locale.ROOT, "  change-to-metric (live)       p50 %,.0f ms, p99 %,.0f ms  (p99 - bound %,.0f ms;"
            + " max %,.0f ms)%n", latency.p50(), latency.p99(), latency.p99() - boundMillis, latency.max());
        out.printf(Locale.ROOT, "      %,d creations sent in %d s after a %d s warm-up (and %d s more after them), paced at"
            + " %,.0f/s (%,.0f/s sent);%n      clock.out-of-orderness %d s; sent -> the Kafka timestamp of the first %s"
            + " snapshot of %s counting it%n", latency.measured(), LiveLatency.MEASURED.toSeconds(),
            LiveLatency.WARM_UP.toSeconds(), LiveLatency.TAIL.toSeconds(), latency.perSecond(),
            latency.achievedPerSecond(), LiveLatency.BOUND.toSeconds(), KPI_TOPIC, LiveLatency.METRIC);
        // Latency counts from each actual send, so a sender a little late only thins the pace for a moment.
        if (latency.maxBehindMillis() > 1_000) {
          out.printf(Locale.ROOT, "      NOTE: the sender fell up to %,.0f ms behind its pace%n",
              latency.maxBehindMillis());
        }
        if (latency.neverSeen() > 0) {
          out.printf(Locale.ROOT, "      NOTE: %,d of the measured creations never showed in %s%n", latency.neverSeen(),
              KPI_TOPIC);
        }
      }
      out.printf(Locale.ROOT, "  load average at the end       %s  (other work on the machine skews every figure)%n",
          loadAverage());
      out.println();
      out.println(LastLine.of(job.bestRate() / raw.perSecond(), job.bestRate() / raw2.perSecond(),
          heap == null ? Double.NaN : heap.perDeal(), latency == null ? Double.NaN : latency.p99()));
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

  private void printDense(DenseHistory.Generated dense, JobThroughput job, RawConsumeRate.Result raw,
      RawConsumeRate.Result raw2) {
    out.printf(Locale.ROOT, "  dense history                 %,d changes  (%,d deals and %,d leads, ~%.0f changes each"
        + " with activities; %,.0f per minute; up to %d s out of order)%n", dense.changes(), dense.deals(),
        dense.leads(), dense.changes() / (double) Math.max(1, dense.deals() + dense.leads()), perMinute(dense),
        DenseHistory.JITTER / 1000);
    if (!Double.isNaN(job.steadyRate())) {
      out.printf(Locale.ROOT, "  job on the dense history      %,.0f records/s  (%.3f of raw, %.3f of raw with %d"
          + " consumers; steady middle)%n", job.steadyRate(), job.steadyRate() / raw.perSecond(),
          job.steadyRate() / raw2.perSecond(), RAW_THREADS);
    }
    out.printf(Locale.ROOT, "      whole run                 %,.0f records/s  (all counted %.1f s after submission)%n",
        job.rate(), job.secondsToAll());
    out.printf(Locale.ROOT, "      input outcomes            %s%n", outcomes(job.outcomes()));
    long notAccepted = job.total() - job.outcomes().getOrDefault("accepted", 0L);
    if (notAccepted > 0) {
      out.printf(Locale.ROOT, "      NOTE: %,d of %,d changes (%.0f%%) were not accepted%n", notAccepted, job.total(),
          100.0 * notAccepted / job.total());
    }
    out.printf(Locale.ROOT, "      CPU per change            %s%n", cpu(job));
  }

  private static double perMinute(DenseHistory.Generated dense) {
    return dense.changes() / Math.max(1.0, (dense.lastCommit() - dense.firstCommit()) / 60_000.0);
  }

  /** Which partitions each raw consumer reads, e.g. [0, 2] [1, 3]. */
  private static String shares() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < INPUT_PARTITIONS; p++) {
      partitions.add(new TopicPartition(BACKFILL_TOPIC, p));
    }
    StringBuilder text = new StringBuilder();
    for (List<TopicPartition> share : RawConsumeRate.split(partitions, RAW_THREADS)) {
      text.append(text.length() == 0 ? "" : " ")
          .append(share.stream().map(tp -> Integer.toString(tp.partition())).toList());
    }
    return text.toString();
  }

  private static String cpu(JobThroughput job) {
    String steady = Double.isNaN(job.jobCpuSteady()) ? "" : String.format(Locale.ROOT,
        "job %.1f us, broker %.1f us in the steady middle; ", job.jobCpuSteady() / 1e3, job.brokerCpuSteady() / 1e3);
    return steady + String.format(Locale.ROOT, "whole run: job %.1f us, broker %.1f us  (CPU time; the job's is"
        + " this JVM's)", job.jobCpuWhole() / 1e3, job.brokerCpuWhole() / 1e3);
  }

  private static TopicSummary.Volume total(Map<String, TopicSummary.Volume> written) {
    long records = 0;
    long bytes = 0;
    for (TopicSummary.Volume volume : written.values()) {
      records += volume.records();
      bytes += volume.bytes();
    }
    return new TopicSummary.Volume(records, bytes);
  }

  private static String perChange(Map<String, TopicSummary.Volume> written, long changes) {
    StringBuilder text = new StringBuilder();
    written.forEach((topic, volume) -> text.append(text.length() == 0 ? "" : "; ")
        .append(String.format(Locale.ROOT, "%s %.3f records %,.1f B", topic, volume.records() / (double) changes,
            volume.bytes() / (double) changes)));
    return text.toString();
  }

  /**
   * @param rate input events per second from submission until all were counted (start-up included)
   * @param afterStartRate the same from the first published count on
   * @param jobCpuSteady CPU nanoseconds of this JVM per change in the steady middle (NaN without one)
   * @param brokerCpuSteady the same of the broker process
   * @param jobCpuWhole CPU nanoseconds of this JVM per change from just before submission until all were counted
   * @param brokerCpuWhole the same of the broker process
   */
  record JobThroughput(double rate, double secondsToAll, double afterStartRate, double secondsToFirstCount,
      double steadyRate, long total, Map<String, Long> outcomes, double jobCpuSteady, double brokerCpuSteady,
      double jobCpuWhole, double brokerCpuWhole) {

    /** The steady rate, or without start-up, or the whole run's: the best figure this run has. */
    double bestRate() {
      return !Double.isNaN(steadyRate) ? steadyRate : !Double.isNaN(afterStartRate) ? afterStartRate : rate;
    }
  }

  /** Sample columns: {nanos, count counted, this JVM's CPU nanos, the broker's CPU nanos}. */
  private static long[] sample(long nanos, long count, BrokerProcess broker) {
    return new long[] {nanos, count, ProcessCpu.jvmNanos(), ProcessCpu.nanosOf(broker.pid())};
  }

  /** Where through a topic the state is read: a long way apart, both well inside the history. */
  private static final double STATE_EARLY = 0.4;
  private static final double STATE_LATE = 0.9;

  private JobThroughput measureJob(BrokerProcess broker, String topic, long expected) throws Exception {
    String servers = broker.bootstrapServers();
    List<long[]> samples = new ArrayList<>(); // see sample()
    long total;
    long[] done;
    Map<String, Long> outcomes;
    long[] start = sample(System.nanoTime(), 0, broker);
    try (JobRun job = JobRun.start(servers, topic, parallelism, runDir.resolve("checkpoints"), extraYaml)) {
      long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
      long nextReport = System.nanoTime() + 10_000_000_000L;
      long last = -1;
      JobRun.CheckpointState early = null;
      JobRun.CheckpointState late = null;
      Map<String, Long> heldEarly = Map.of();
      Map<String, Long> heldLate = Map.of();
      while (true) {
        String page;
        try {
          page = job.pageOrNull();
        } catch (JobRestartedException e) {
          log("  the job stopped running after %,d of %,d changes were counted", Math.max(last, 0), expected);
          throw e;
        }
        long now = System.nanoTime();
        if (page != null) {
          long count = Math.round(MetricsEndpoint.sum(page, JobRun.INPUT_EVENTS));
          if (count != last) {
            samples.add(sample(now, count, broker));
            last = count;
          }
          if (early == null && count >= STATE_EARLY * expected) {
            early = job.lastCheckpoint();
            heldEarly = job.recordsHeld();
          }
          if (late == null && count >= STATE_LATE * expected) {
            late = job.lastCheckpoint();
            heldLate = job.recordsHeld();
          }
          if (count >= expected) {
            done = samples.get(samples.size() - 1);
            total = count;
            outcomes = MetricsEndpoint.inputEventsBy(page, "outcome");
            log("  input events by entity and outcome: %s", byEntityAndOutcome(page));
            break;
          }
        }
        if (now > nextReport) {
          nextReport = now + 10_000_000_000L;
          log("  ... %,d of %,d counted (load average %s)", Math.max(last, 0), expected, loadAverage());
        }
        if (now > deadline) {
          throw new IllegalStateException("the job did not count all " + expected + " changes within "
              + WAIT_LIMIT.toMinutes() + " minutes");
        }
        // Not faster: every scrape renders the whole page inside the job and competes with it.
        Thread.sleep(POLL_MILLIS);
      }
      logState(early, late);
      for (Map.Entry<String, Long> held : heldLate.entrySet()) {
        log("  records held by %s: %,d at %.0f%% counted, %,d at %.0f%%", held.getKey(),
            heldEarly.getOrDefault(held.getKey(), 0L), STATE_EARLY * 100, held.getValue(), STATE_LATE * 100);
      }
      long doneNanos = done[0];
      double secondsToAll = (doneNanos - job.submittedNanos()) / 1e9;
      // The first count is published about a second after the first records are counted; from it on
      // the rate leaves out the start of the embedded cluster and of the Kafka source.
      long[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
      double firstSeconds = (first[0] - job.submittedNanos()) / 1e9;
      double afterStart = first[1] >= total ? Double.NaN
          : (total - first[1]) / Math.max(1e-3, (doneNanos - first[0]) / 1e9);
      log("  all %,d counted %.1f s after submission = %,.0f records/s; first count after %.1f s, from it on"
          + " %,.0f records/s", total, secondsToAll, total / secondsToAll, firstSeconds, afterStart);
      if (total > expected) {
        log("  NOTE: the job counted %,d input events, more than the %,d in the topic", total, expected);
      }
      double steady = SteadyRate.between(samples, total, STEADY_FROM, STEADY_TO);
      log("  steady middle (%.0f%% to %.0f%% counted): %,.0f records/s", STEADY_FROM * 100, STEADY_TO * 100, steady);
      // CPU over the steady middle: each counter read at the moments the count crossed 20% and 80%.
      double from = SteadyRate.crossing(samples, STEADY_FROM * total);
      double to = SteadyRate.crossing(samples, STEADY_TO * total);
      double steadyChanges = (STEADY_TO - STEADY_FROM) * total;
      double jobSteady = Double.isNaN(steady) ? Double.NaN
          : cpuPerChange(SteadyRate.valueAt(samples, from, 2), SteadyRate.valueAt(samples, to, 2), steadyChanges);
      double brokerSteady = Double.isNaN(steady) ? Double.NaN
          : cpuPerChange(SteadyRate.valueAt(samples, from, 3), SteadyRate.valueAt(samples, to, 3), steadyChanges);
      double jobWhole = cpuPerChange(start[2], done[2], total);
      double brokerWhole = cpuPerChange(start[3], done[3], total);
      log("  CPU time per change: job %.1f us, broker %.1f us in the steady middle; job %.1f us, broker %.1f us from"
          + " submission to all counted", jobSteady / 1e3, brokerSteady / 1e3, jobWhole / 1e3, brokerWhole / 1e3);
      return new JobThroughput(total / secondsToAll, secondsToAll, afterStart, firstSeconds, steady, total, outcomes,
          jobSteady, brokerSteady, jobWhole, brokerWhole);
    }
  }

  /**
   * The job's checkpointed state at two points of a long history: with every kind of state
   * bounded (README, "What the job keeps"), the later holds about what the earlier did, not as
   * much more as the history has grown.
   */
  private void logState(JobRun.CheckpointState early, JobRun.CheckpointState late) {
    if (early == null || late == null || early.bytes() == 0) {
      log("  state: no checkpoint had completed at %.0f%% or %.0f%% counted", STATE_EARLY * 100, STATE_LATE * 100);
      return;
    }
    log("  state in the newest checkpoint: %s at %.0f%% counted, %s at %.0f%% (x%.2f; the history grew x%.2f)",
        megabytes(early.bytes()), STATE_EARLY * 100, megabytes(late.bytes()), STATE_LATE * 100,
        late.bytes() / (double) early.bytes(), STATE_LATE / STATE_EARLY);
    late.byTask().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
        .forEach(task -> log("    %-48s %s (earlier %s)", shortName(task.getKey()), megabytes(task.getValue()),
            megabytes(early.byTask().getOrDefault(task.getKey(), 0L))));
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String shortName(String task) {
    return task.length() <= 48 ? task : task.substring(0, 45) + "...";
  }

  /** CPU nanoseconds per change between two readings of a counter; NaN when either could not be read. */
  static double cpuPerChange(double before, double after, double changes) {
    if (before < 0 || after < 0 || Double.isNaN(before) || Double.isNaN(after) || changes <= 0) {
      return Double.NaN;
    }
    return (after - before) / changes;
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

  /** One heap run: the used heap after GC with the deals loaded, and the deals it holds. */
  record HeapRun(long loaded, long deals, double perDeal) {}

  /**
   * @param perDeal from the run with one change (the creation) per deal
   * @param updated the run with {@link #CHANGES_PER_DEAL} changes per deal
   * @param perEventId what each further remembered change adds to a deal
   */
  record HeapResult(long baseline, long loaded, long deals, double perDeal, HeapRun updated, double perEventId) {}

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

    HeapRun created = heapWithDeals(servers, OPEN_DEALS_TOPIC, 1, layers, baseline);
    HeapRun updated = heapWithDeals(servers, UPDATED_DEALS_TOPIC, CHANGES_PER_DEAL, layers, baseline);
    double perEventId = (updated.perDeal() - created.perDeal()) / (CHANGES_PER_DEAL - 1);
    log("  (%,.0f - %,.0f) / %d = %,.0f bytes per remembered event id", updated.perDeal(), created.perDeal(),
        CHANGES_PER_DEAL - 1, perEventId);
    return new HeapResult(baseline, created.loaded(), created.deals(), created.perDeal(), updated, perEventId);
  }

  private HeapRun heapWithDeals(String servers, String topic, int changesPerDeal, String layers, long baseline)
      throws Exception {
    log("filling %s with %,d open opportunities, %d change%s each ...", topic, openDeals, changesPerDeal,
        changesPerDeal == 1 ? "" : "s");
    long began = System.nanoTime();
    int markers = OpenDeals.fill(servers, topic, openDeals, changesPerDeal, INPUT_PARTITIONS, out);
    log("  sent in %.1f s, then %d activities, one per partition, that move the job's clock past the deals",
        (System.nanoTime() - began) / 1e9, markers);

    log("heap with open deals: the job reads %s ... (load average %s)", topic, loadAverage());
    long loaded;
    long deals;
    try (JobRun job = JobRun.start(servers, topic, parallelism, runDir.resolve("checkpoints"), layers)) {
      job.awaitSum(JobRun.INPUT_EVENTS, sum -> sum >= openDeals * changesPerDeal + markers, WAIT_LIMIT);
      String page = job.pageOrNull();
      long accepted = MetricsEndpoint.inputEventsBy(page == null ? "" : page, "outcome", "opportunity")
          .getOrDefault("accepted", 0L);
      // With several changes per deal only whole deals count: a deal missing a change is not the same state.
      deals = accepted / changesPerDeal;
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
    return new HeapRun(loaded, deals, perDeal);
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
