package io.pipelinepulse.localstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's own parts that need no broker: the generated histories, the metrics reading, and
 * the arithmetic behind the figures (steady middle, CPU readings, latency matching, percentiles,
 * the last line).
 */
class BenchPartsTest {

  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @Test
  void mergedHistoryOfSeveralOrganisationsIsInCommitOrderWithUniqueIdsAndInThePast() {
    long now = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    long[] last = {Long.MIN_VALUE};
    Set<String> eventIds = new HashSet<>();
    Set<String> seeds = new HashSet<>();
    // Wanting more than one organisation yields over two years forces a merge of several.
    long wanted = 400_000;
    SimulatedBackfill.Generated generated = SimulatedBackfill.generate(wanted, now, change -> {
      assertThat(change.getCommitTime()).isGreaterThanOrEqualTo(last[0]);
      last[0] = change.getCommitTime();
      assertThat(eventIds.add(change.getEventId())).as(change.getEventId()).isTrue();
      seeds.add(change.getEventId().split("-")[1]);
    }, QUIET);
    assertThat(generated.changes()).isEqualTo(wanted);
    assertThat(generated.organisations()).isGreaterThan(1);
    assertThat(seeds).hasSize(generated.organisations());
    assertThat(generated.lastCommit()).isLessThanOrEqualTo(now - SimulatedBackfill.MARGIN);
    assertThat(generated.firstCommit()).isGreaterThanOrEqualTo(now - SimulatedBackfill.MARGIN - SimulatedBackfill.SPAN);
  }

  @Test
  void sumsAMetricOverItsSeriesAndSplitsInputEventsByLabel() {
    String page = String.join("\n",
        "# HELP pulse_input_events_total Input events by outcome",
        "# TYPE pulse_input_events_total counter",
        "pulse_input_events_total{entity=\"lead\",format=\"canonical\",outcome=\"accepted\"} 1200.0",
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"accepted\"} 300.0",
        "pulse_input_events_total{entity=\"opportunity\",format=\"canonical\",outcome=\"late\"} 7.0 1767225600000",
        "pulse_input_events_total_created{entity=\"lead\"} 1.7e9",
        "pulse_open_deals{pipeline=\"default\",stage=\"Prospecting\",team=\"East\"} 5.0",
        "pulse_open_deals{pipeline=\"default\",stage=\"Prospecting\",team=\"West\"} 6.0",
        "pulse_clock_lag_seconds 61.0",
        "");
    assertThat(MetricsEndpoint.sum(page, "pulse_input_events_total")).isEqualTo(1507.0);
    assertThat(MetricsEndpoint.sum(page, "pulse_open_deals")).isEqualTo(11.0);
    assertThat(MetricsEndpoint.sum(page, "pulse_clock_lag_seconds")).isEqualTo(61.0);
    assertThat(MetricsEndpoint.sum(page, "pulse_stage_exits")).isZero();
    assertThat(MetricsEndpoint.inputEventsBy(page, "outcome")).isEqualTo(Map.of("accepted", 1500L, "late", 7L));
    assertThat(MetricsEndpoint.inputEventsBy(page, "entity")).isEqualTo(Map.of("lead", 1200L, "opportunity", 307L));
  }

  @Test
  void openDealsAreDistinctOpenCreationsInCommitOrderOwnedByDirectoryUsers() {
    long now = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    String directory = OpenDeals.directoryYaml();
    Set<String> recordIds = new HashSet<>();
    Set<String> owners = new HashSet<>();
    long[] last = {Long.MIN_VALUE};
    OpenDeals.generate(10_000, now, change -> {
      assertThat(change.getEntity()).isEqualTo(Entity.OPPORTUNITY);
      assertThat(change.getChangeType()).isEqualTo(ChangeType.CREATE);
      assertThat(change.getFields()).containsEntry("stage", "Prospecting").containsKeys("amount", "ownerId");
      assertThat(recordIds.add(change.getRecordId())).isTrue();
      assertThat(change.getCommitTime()).isGreaterThanOrEqualTo(last[0]).isLessThan(now - SimulatedBackfill.MARGIN);
      last[0] = change.getCommitTime();
      owners.add((String) change.getFields().get("ownerId"));
    });
    assertThat(recordIds).hasSize(10_000);
    assertThat(owners).hasSize(OpenDeals.OWNERS.size()).allMatch(owner -> directory.contains("id: " + owner));
  }

  @Test
  void clockMarkersReachEveryPartitionAfterTheDeals() {
    long now = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    java.util.List<CrmChange> markers = OpenDeals.clockMarkers(4, now);
    Set<Integer> partitions = new HashSet<>();
    for (CrmChange marker : markers) {
      byte[] key = marker.getRecordId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      partitions.add(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % 4);
      assertThat(marker.getEntity()).isEqualTo(Entity.ACTIVITY);
      assertThat(marker.getCommitTime()).isGreaterThan(now - SimulatedBackfill.MARGIN).isLessThan(now - 60_000);
    }
    assertThat(markers).hasSize(4);
    assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void steadyRateLeavesStartUpAndTailOut() {
    long second = 1_000_000_000L;
    // 10 s of start-up with nothing counted, then 1,000/s, then a slow tail of 100/s
    java.util.List<long[]> samples = java.util.List.of(new long[] {0, 0}, new long[] {10 * second, 0},
        new long[] {11 * second, 1_000}, new long[] {15 * second, 5_000}, new long[] {19 * second, 9_000},
        new long[] {29 * second, 10_000});
    assertThat(SteadyRate.between(samples, 10_000, 0.2, 0.8)).isCloseTo(1_000.0,
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(SteadyRate.crossing(samples, 3_000)).isEqualTo(13.0 * second);
    assertThat(SteadyRate.between(samples.subList(0, 3), 10_000, 0.2, 0.8)).as("never reached 80%").isNaN();
  }

  @Test
  void aFailureIsToldByItsFirstLineAndItsRootCause() {
    String trace = String.join("\n",
        "org.apache.flink.util.FlinkRuntimeException: Failed to send data to Kafka pulse.alerts-1",
        "\tat org.apache.flink.connector.kafka.sink.KafkaWriter.checkAsyncException(KafkaWriter.java:1)",
        "Caused by: org.apache.kafka.common.errors.OutOfOrderSequenceException: out of order",
        "\t... 12 more");
    assertThat(JobRun.firstLine(trace)).isEqualTo("org.apache.flink.util.FlinkRuntimeException: Failed to send data"
        + " to Kafka pulse.alerts-1 (root cause: org.apache.kafka.common.errors.OutOfOrderSequenceException: out of"
        + " order)");
    assertThat(JobRun.firstLine("java.lang.IllegalStateException: x")).isEqualTo("java.lang.IllegalStateException: x");
  }

  @Test
  void twoRawConsumersShareThePartitionsWithoutOverlap() {
    List<TopicPartition> four = List.of(new TopicPartition("t", 0), new TopicPartition("t", 1),
        new TopicPartition("t", 2), new TopicPartition("t", 3));
    assertThat(RawConsumeRate.split(four, 2)).containsExactly(
        List.of(new TopicPartition("t", 0), new TopicPartition("t", 2)),
        List.of(new TopicPartition("t", 1), new TopicPartition("t", 3)));
    assertThat(RawConsumeRate.split(four, 1)).containsExactly(four);
    assertThat(RawConsumeRate.split(four.subList(0, 3), 2)).extracting(List::size).containsExactly(2, 1);
    assertThat(RawConsumeRate.split(four.subList(0, 1), 2)).as("no consumer without a partition")
        .containsExactly(List.of(new TopicPartition("t", 0)));
  }

  @Test
  void percentilesAreNearestRankValuesThatWereMeasured() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 .. 1, unsorted on purpose
    }
    assertThat(Percentiles.of(values, 50)).isEqualTo(50.0);
    assertThat(Percentiles.of(values, 99)).isEqualTo(99.0);
    assertThat(Percentiles.of(values, 100)).isEqualTo(100.0);
    assertThat(values[0]).as("the input is left as it was").isEqualTo(100);
    assertThat(Percentiles.of(new long[] {7, 3, 9}, 50)).isEqualTo(7.0);
    assertThat(Percentiles.of(new long[] {7, 3, 9}, 99)).isEqualTo(9.0);
    assertThat(Percentiles.of(new long[] {42}, 99)).isEqualTo(42.0);
    assertThat(Percentiles.of(new long[0], 50)).isNaN();
  }

  @Test
  void creationIsSeenInTheFirstSnapshotWhoseCountReachesIt() {
    // {Kafka timestamp, count}: not in time order; one count skipped several creations at once
    List<long[]> snapshots = List.of(new long[] {1_500, 5}, new long[] {1_000, 2}, new long[] {1_200, 3},
        new long[] {1_900, 5});
    long[] reached = LatencyMatch.firstReached(snapshots, 6);
    assertThat(reached[1]).isEqualTo(1_000);
    assertThat(reached[2]).isEqualTo(1_000);
    assertThat(reached[3]).isEqualTo(1_200);
    assertThat(reached[4]).isEqualTo(1_500);
    assertThat(reached[5]).isEqualTo(1_500);
    assertThat(reached[6]).isEqualTo(LatencyMatch.NEVER);

    long[] sentAt = {100, 200, 300, 400, 500, 600};
    LatencyMatch.Latencies latencies = LatencyMatch.between(sentAt, snapshots, 2, 6);
    // creations 2..5 measured (1 was in the warm-up), 6 never counted
    assertThat(latencies.millis()).containsExactly(800, 900, 1_100, 1_000);
    assertThat(latencies.neverSeen()).isEqualTo(1);
  }

  @Test
  void lastLineHasItsFixedShape() {
    String line = LastLine.of(0.4123, 0.2049, 812.4, 6_123.6);
    assertThat(line).isEqualTo("bench: job/raw 0.41 (2 consumers: 0.20), heap per open deal 812 B,"
        + " p99 change-to-metric 6124 ms");
    assertThat(line).matches("bench: job/raw \\d+\\.\\d\\d \\(2 consumers: \\d+\\.\\d\\d\\), heap per open deal \\d+ B,"
        + " p99 change-to-metric \\d+ ms");
    assertThat(LastLine.of(1.5, Double.NaN, Double.NaN, Double.NaN)).isEqualTo(
        "bench: job/raw 1.50 (2 consumers: n/a), heap per open deal n/a B, p99 change-to-metric n/a ms");
  }

  @Test
  void cpuTicksAreReadAfterTheCommandNameWhateverItHolds() {
    String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194304 97 0 3 0 1234 567 8 9 20 0 40 0 164684 3133440";
    assertThat(ProcessCpu.ticksOf(stat)).isEqualTo(1234 + 567);
    assertThat(ProcessCpu.jvmNanos()).isPositive();
    assertThat(ProcessCpu.nanosOf(ProcessHandle.current().pid())).isNotNegative();
    assertThat(ProcessCpu.nanosOf(-1)).isEqualTo(-1);
    assertThat(BackfillBenchMain.cpuPerChange(1_000, 5_000, 4)).isEqualTo(1_000.0);
    assertThat(BackfillBenchMain.cpuPerChange(-1, 5_000, 4)).as("unreadable").isNaN();
  }

  @Test
  void anotherColumnIsInterpolatedAtAMomentBetweenSamples() {
    long second = 1_000_000_000L;
    List<long[]> samples = List.of(new long[] {0, 0, 0}, new long[] {2 * second, 100, 4_000},
        new long[] {4 * second, 300, 5_000});
    assertThat(SteadyRate.valueAt(samples, 1.0 * second, 2)).isEqualTo(2_000.0);
    assertThat(SteadyRate.valueAt(samples, 3.0 * second, 2)).isEqualTo(4_500.0);
    assertThat(SteadyRate.valueAt(samples, 5.0 * second, 2)).isNaN();
  }

  @Test
  void denseHistoryPacksManyChangesPerRecordSlightlyOutOfOrderAndAllValid() {
    long now = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    long end = now - SimulatedBackfill.MARGIN;
    Set<String> stages = Set.of("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won",
        "Closed Lost");
    Set<String> eventIds = new HashSet<>();
    Map<String, Long> lastCommitOfRecord = new HashMap<>();
    Map<String, Integer> changesOfRecord = new HashMap<>();
    Set<String> closed = new HashSet<>();
    long[] newest = {0};
    long[] outOfOrder = {0};
    long wanted = 20_000;
    DenseHistory.Generated generated = DenseHistory.generate(wanted, now, change -> {
      assertThat(eventIds.add(change.getEventId())).as(change.getEventId()).isTrue();
      long commit = change.getCommitTime();
      assertThat(commit).isBetween(end - DenseHistory.SPAN - DenseHistory.JITTER, end);
      // within the job's default 1-minute bound of everything sent before it: never late
      assertThat(newest[0] - commit).isLessThanOrEqualTo(DenseHistory.JITTER);
      if (commit < newest[0]) {
        outOfOrder[0]++;
      }
      newest[0] = Math.max(newest[0], commit);
      String owner = change.getEntity() == Entity.ACTIVITY
          ? (String) change.getFields().getOrDefault("opportunityId", change.getFields().get("leadId"))
          : change.getRecordId();
      assertThat(owner).isNotNull();
      assertThat(closed).as("nothing after a deal or lead is closed").doesNotContain(owner);
      Long previous = lastCommitOfRecord.put(change.getRecordId(), commit);
      if (previous != null) {
        assertThat(commit).as("a record's own changes keep their order").isGreaterThan(previous);
      }
      if (change.getEntity() == Entity.OPPORTUNITY || change.getEntity() == Entity.LEAD) {
        assertThat(change.getChangeType() == ChangeType.CREATE).isEqualTo(previous == null);
      }
      changesOfRecord.merge(owner, 1, Integer::sum);
      Object stage = change.getFields().get("stage");
      if (stage != null) {
        assertThat(stages).contains((String) stage);
        if (stage.equals("Closed Won") || stage.equals("Closed Lost")) {
          closed.add(owner);
        }
      }
      Object status = change.getFields().get("status");
      if (status != null && ((String) status).startsWith("Closed")) {
        closed.add(owner);
      }
      Object amount = change.getFields().get("amount");
      if (amount != null) {
        assertThat((Double) amount).isPositive();
      }
      Object probability = change.getFields().get("probability");
      if (probability != null) {
        assertThat((Double) probability).isBetween(0.0, 100.0);
      }
    });
    assertThat(generated.changes()).isEqualTo(wanted);
    assertThat(eventIds).hasSize((int) wanted);
    assertThat(generated.deals() + generated.leads()).isBetween(300, 800);
    assertThat(generated.deals()).isGreaterThan(generated.leads() / 2);
    assertThat(outOfOrder[0]).as("some commit times are out of order").isGreaterThan(wanted / 10);
    double perRecord = changesOfRecord.entrySet().stream().filter(e -> !e.getKey().startsWith("005"))
        .mapToInt(Map.Entry::getValue).average().orElse(0);
    assertThat(perRecord).as("tens of changes per deal or lead").isBetween(20.0, 60.0);
    assertThat(generated.lastCommit() - generated.firstCommit()).isLessThanOrEqualTo(
        DenseHistory.SPAN + DenseHistory.JITTER);
  }

  @Test
  void openDealsWithSeveralChangesStayOpenAndInCommitOrder() {
    long now = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    Map<String, List<CrmChange>> byDeal = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    long[] last = {Long.MIN_VALUE};
    OpenDeals.generate(1_000, 4, now, change -> {
      assertThat(change.getCommitTime()).isGreaterThanOrEqualTo(last[0]).isLessThan(now - SimulatedBackfill.MARGIN);
      last[0] = change.getCommitTime();
      assertThat(eventIds.add(change.getEventId())).isTrue();
      byDeal.computeIfAbsent(change.getRecordId(), id -> new java.util.ArrayList<>()).add(change);
    });
    assertThat(byDeal).hasSize(1_000);
    for (List<CrmChange> changes : byDeal.values()) {
      assertThat(changes).hasSize(4);
      assertThat(changes.get(0).getChangeType()).isEqualTo(ChangeType.CREATE);
      Set<Object> amounts = new HashSet<>();
      for (CrmChange change : changes) {
        amounts.add(change.getFields().get("amount"));
        if (change.getChangeType() == ChangeType.UPDATE) {
          assertThat(change.getFields()).containsOnlyKeys("amount");
        }
      }
      assertThat(amounts).as("every edit changes the amount").hasSize(4);
    }
  }

  @Test
  void liveCreationsArePacedAtHalfTheCapacityWithinBoundsAndCountInOneSeries() {
    assertThat(LiveLatency.pace(Double.NaN)).isEqualTo(LiveLatency.SLOWEST);
    assertThat(LiveLatency.pace(100)).isEqualTo(LiveLatency.SLOWEST);
    assertThat(LiveLatency.pace(10_000)).isEqualTo(5_000.0);
    assertThat(LiveLatency.pace(1e7)).isEqualTo(LiveLatency.FASTEST);
    CrmChange first = LiveLatency.creation(1, 1_000_000);
    CrmChange second = LiveLatency.creation(2, 1_000_001);
    assertThat(first.getRecordId()).isNotEqualTo(second.getRecordId()).hasSize(15);
    assertThat(first.getFields()).containsEntry("stage", OpenDeals.STAGE).containsEntry("ownerId", LiveLatency.OWNER);
    io.pipelinepulse.config.PulseConfig config = io.pipelinepulse.config.PulseConfigLoader.fromYaml(LiveLatency.yaml());
    assertThat(config.clock().outOfOrderness()).isEqualTo(LiveLatency.BOUND);
    assertThat(config.directory().users().get(LiveLatency.OWNER).team()).isEqualTo(LiveLatency.TEAM);
  }
}
