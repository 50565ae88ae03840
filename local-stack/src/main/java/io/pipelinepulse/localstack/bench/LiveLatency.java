package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Change-to-metric latency of the job running live: opportunity creations sent at a steady pace,
 * each committed "now", all in one pipeline, stage and team, so that the job's
 * {@code pulse_open_deals} of that series counts them one by one. Creation i is in the metric from
 * the first KPI snapshot of the series whose count reaches i; that snapshot's Kafka timestamp is
 * when the job's producer created it (the job's sink sets no timestamp of its own). The latency of
 * creation i is that moment minus the moment it was sent. Both clocks are this machine's wall
 * clock; the job runs in this JVM.
 */
final class LiveLatency {

  /** A short out-of-orderness bound, as a live deployment with a prompt CRM feed would set. */
  static final Duration BOUND = Duration.ofSeconds(5);
  static final Duration WARM_UP = Duration.ofSeconds(15);
  static final Duration MEASURED = Duration.ofSeconds(40);
  /**
   * Sending goes on unmeasured for this long after the measured window. A live stream does not
   * stop: later changes move the clock past the last measured ones. Without them, the creations of
   * the window's last seconds would wait for the input to turn idle (clock.idle-timeout) instead.
   */
  static final Duration TAIL = BOUND.plusSeconds(5);
  /** The pace is half the measured capacity, but at least this ... */
  static final double SLOWEST = 200;
  /** ... and at most this, which one producer thread sustains here beside the job. */
  static final double FASTEST = 20_000;
  static final String OWNER = "005BENCHLIVE001";
  static final String TEAM = "Live";
  static final String METRIC = "pulse_open_deals";

  /**
   * @param perSecond the pace of the creations
   * @param sent creations sent in all, warm-up included
   * @param measured creations sent after the warm-up, whose latencies are the figures
   * @param neverSeen measured creations the KPI topic never showed
   * @param maxBehindMillis how far the sender fell behind its schedule at worst
   */
  record Result(double perSecond, double achievedPerSecond, int sent, int measured, int neverSeen, double p50,
      double p99, double max, double maxBehindMillis) {}

  private LiveLatency() {}

  /** Half the capacity, within {@link #SLOWEST} and {@link #FASTEST}; the slowest when capacity is unknown. */
  static double pace(double capacity) {
    if (!(capacity > 0)) {
      return SLOWEST;
    }
    return Math.max(SLOWEST, Math.min(FASTEST, capacity / 2));
  }

  /** The job's configuration for the live run: the short bound and the one owner's team. */
  static String yaml() {
    return "clock:\n  out-of-orderness: " + BOUND.toSeconds() + "s\n"
        + "directory:\n  users:\n    - id: " + OWNER + "\n      team: " + TEAM + "\n";
  }

  static Result measure(String bootstrapServers, String topic, String kpiTopic, int parallelism, Path checkpoints,
      double perSecond, PrintStream log) throws Exception {
    Map<TopicPartition, Long> kpisBefore = TopicSummary.endOffsets(bootstrapServers, kpiTopic);
    long sendingMillis = WARM_UP.toMillis() + MEASURED.toMillis() + TAIL.toMillis();
    int capacity = (int) Math.ceil(perSecond * sendingMillis / 1000.0) + 1;
    long[] sentAt = new long[capacity];
    int[] counts = new int[3]; // {sent, sent during the warm-up, sent by the end of the measured window}
    double[] behind = {0};
    double achieved;
    try (JobRun job = JobRun.start(bootstrapServers, topic, parallelism, checkpoints, yaml())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (job.pageOrNull() == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the job's metrics endpoint did not come up within 3 minutes");
        }
        Thread.sleep(100);
      }
      CompletableFuture<Void> sender = CompletableFuture.runAsync(
          () -> send(bootstrapServers, topic, perSecond, sentAt, counts, behind), runnable -> {
            Thread thread = new Thread(runnable, "bench-live-sender");
            thread.start();
          });
      // Only the job's status while it runs: a scrape renders the whole page inside the job.
      while (!sender.isDone()) {
        job.checkRunning();
        Thread.sleep(500);
      }
      sender.get();
      achieved = counts[0] / (sendingMillis / 1000.0);
      log.printf(Locale.ROOT, "  sent %,d creations (%,d in the warm-up, %,d after the measured window) at %,.0f/s"
          + " (asked %,.0f/s), at worst %.0f ms behind schedule; waiting for the job to count them all ...%n", counts[0],
          counts[1], counts[0] - counts[2], achieved, perSecond, behind[0]);
      // After the last change the partition turns idle and the clock follows the wall clock.
      job.awaitSum(METRIC, sum -> sum >= counts[0], Duration.ofMinutes(2));
      // The snapshot that reached the total is handed to the Kafka sink together with the endpoint's.
      Thread.sleep(2_000);
    }
    List<long[]> snapshots = new ArrayList<>();
    SingleObjectCodec<KpiSnapshot> codec = Codecs.kpiSnapshot();
    TopicSummary.readToEnd(bootstrapServers, kpiTopic, kpisBefore, record -> {
      KpiSnapshot snapshot = codec.decode(record.value());
      Map<String, String> labels = snapshot.getLabels();
      if (METRIC.equals(snapshot.getMetric()) && TEAM.equals(labels.get("team"))
          && OpenDeals.STAGE.equals(labels.get("stage")) && snapshot.getValue() != null) {
        snapshots.add(new long[] {record.timestamp(), Math.round(snapshot.getValue())});
      }
    });
    log.printf(Locale.ROOT, "  %,d snapshots of %s{team=\"%s\",stage=\"%s\"} in %s%n", snapshots.size(), METRIC, TEAM,
        OpenDeals.STAGE, kpiTopic);
    LatencyMatch.Latencies latencies = LatencyMatch.between(sentAt, snapshots, counts[1] + 1, counts[2]);
    logSlices(sentAt, snapshots, counts[1] + 1, counts[2], log);
    long[] millis = latencies.millis();
    return new Result(perSecond, achieved, counts[0], counts[2] - counts[1], latencies.neverSeen(),
        Percentiles.of(millis, 50), Percentiles.of(millis, 99), Percentiles.of(millis, 100), behind[0]);
  }

  /**
   * The latencies of each 10 s of sending: a tail that grows from slice to slice is a job that
   * falls behind the pace; one that jumps in a single slice is a pause (GC, checkpoint, other load).
   */
  private static void logSlices(long[] sentAt, List<long[]> snapshots, int from, int to, PrintStream log) {
    StringBuilder text = new StringBuilder();
    long sliceMillis = 10_000;
    int first = from;
    for (int slice = 1; first <= to; slice++) {
      long sliceEnd = sentAt[from - 1] + slice * sliceMillis;
      int last = first;
      // creation last + 1 was sent at sentAt[last]
      while (last < to && sentAt[last] < sliceEnd) {
        last++;
      }
      long[] millis = LatencyMatch.between(sentAt, snapshots, first, last).millis();
      text.append(text.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%d-%d s p50 %,.0f p99 %,.0f",
          (slice - 1) * sliceMillis / 1000, slice * sliceMillis / 1000, Percentiles.of(millis, 50),
          Percentiles.of(millis, 99)));
      first = last + 1;
    }
    log.printf(Locale.ROOT, "  latency by 10 s of sending (ms): %s%n", text);
  }

  /**
   * One thread, so creation numbers follow commit times: creation i is due i / perSecond after the
   * start; whatever is due is sent at once, each with the wall clock at its send as commit time.
   */
  private static void send(String bootstrapServers, String topic, double perSecond, long[] sentAt, int[] counts,
      double[] behind) {
    Properties config = ChangeProducer.config(bootstrapServers, "pulse-bench-live");
    // Latency counts from the send, so the producer holds a change at most a millisecond.
    config.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    try (ChangeProducer producer = new ChangeProducer(config, topic)) {
      long began = System.nanoTime();
      long warmUpEnds = began + WARM_UP.toNanos();
      long measuredEnds = warmUpEnds + MEASURED.toNanos();
      long ends = measuredEnds + TAIL.toNanos();
      long lastCommit = Long.MIN_VALUE;
      int sent = 0;
      for (long now = began; now < ends; now = System.nanoTime()) {
        int due = (int) Math.min(sentAt.length, (long) ((now - began) / 1e9 * perSecond) + 1);
        if (sent < due) {
          behind[0] = Math.max(behind[0], (now - began - sent / perSecond * 1e9) / 1e6);
        }
        for (; sent < due; sent++) {
          long commit = Math.max(lastCommit, System.currentTimeMillis());
          lastCommit = commit;
          sentAt[sent] = commit;
          producer.send(creation(sent + 1, commit), null);
          if (now < warmUpEnds) {
            counts[1] = sent + 1;
          }
          if (now < measuredEnds) {
            counts[2] = sent + 1;
          }
        }
        counts[0] = sent;
        if (producer.fatalFailure().isPresent()) {
          throw new IllegalStateException("cannot publish to " + topic + ": "
              + ChangeProducer.describe(producer.fatalFailure().get()));
        }
        LockSupport.parkNanos(200_000);
      }
      producer.flush();
      if (producer.acknowledged() != sent) {
        throw new IllegalStateException("only " + producer.acknowledged() + " of " + sent
            + " live creations were acknowledged");
      }
    }
  }

  /** Creation number {@code n} (1-based): an open deal of the live owner in the first stage. */
  static CrmChange creation(int n, long commit) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.NAME, "Live deal " + n);
    fields.put(CanonicalFields.STAGE, OpenDeals.STAGE);
    fields.put(CanonicalFields.PROBABILITY, 10.0);
    fields.put(CanonicalFields.AMOUNT, 5_000.0);
    fields.put(CanonicalFields.CURRENCY, "USD");
    fields.put(CanonicalFields.CLOSE_DATE,
        Instant.ofEpochMilli(commit).plus(Duration.ofDays(30)).atZone(ZoneOffset.UTC).toLocalDate().toString());
    fields.put(CanonicalFields.OWNER_ID, OWNER);
    return CrmChange.newBuilder()
        .setEventId("bench-live-" + n)
        .setOrigin("bench")
        .setEntity(Entity.OPPORTUNITY)
        .setRecordId(String.format(Locale.ROOT, "006LIVE%08d", n))
        .setChangeType(ChangeType.CREATE)
        .setCommitTime(commit)
        .setSequence(0)
        .setFields(fields)
        .build();
  }
}
