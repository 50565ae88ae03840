package io.pipelinepulse.localstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's own parts that need no broker: the merged simulated history and the metrics reading. */
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
}
