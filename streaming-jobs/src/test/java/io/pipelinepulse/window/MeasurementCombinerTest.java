package io.pipelinepulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.deals.ClosedDealsKpi;
import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.schema.KpiSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Measurements added up per KPI, dimension and minute before the shuffle: the same published values, fewer records. */
class MeasurementCombinerTest {

  private static final long T = 1_700_000_040_000L - 1_700_000_040_000L % 60_000L;
  private static final long MINUTE = 60_000L;
  private static final long DAY = Duration.ofDays(1).toMillis();

  private static OneInputStreamOperatorTestHarness<Measurement, Measurement> combiner() throws Exception {
    OneInputStreamOperatorTestHarness<Measurement, Measurement> harness =
        new OneInputStreamOperatorTestHarness<>(new MeasurementCombiner<Measurement>(m -> m));
    harness.open();
    return harness;
  }

  private static Measurement won(long time, String team, double amount, double cycleDays) {
    return ClosedDealsKpi.measure(new DealClosed(time, "u1", team, "default", true, amount, (long) (cycleDays * DAY)));
  }

  private static Measurement lost(long time, String team) {
    return ClosedDealsKpi.measure(new DealClosed(time, "u1", team, "default", false, 10.0, DAY));
  }

  private static Measurement open(long time, String team, long count) {
    return ClosedDealsKpi.measureOpen(
        new OpenDealDelta(OpenDealDelta.State.OPEN, time, "u1", team, "default", "Prospecting", count, 0, 0));
  }

  @Test
  void oneSumPerDimensionAndMinuteGoesOnAheadOfTheWatermark() throws Exception {
    try (OneInputStreamOperatorTestHarness<Measurement, Measurement> harness = combiner()) {
      harness.processElement(won(T + 1_000, "East", 100.0, 2), T + 1_000);
      harness.processElement(open(T + 2_000, "East", 3), T + 2_000);
      harness.processElement(won(T + 59_999, "East", 50.0, 4), T + 59_999);
      harness.processElement(lost(T + 30_000, "East"), T + 30_000);
      harness.processElement(won(T + MINUTE, "East", 7.0, 1), T + MINUTE);
      harness.processElement(won(T + 5_000, "West", 9.0, 1), T + 5_000);
      assertThat(harness.getOutput()).as("nothing goes on before the clock moves").isEmpty();

      harness.processWatermark(T + 2 * MINUTE);
      List<Object> output = new ArrayList<>(harness.getOutput());
      assertThat(output).hasSize(4);
      assertThat(output.get(3)).isEqualTo(new Watermark(T + 2 * MINUTE));
      Measurement east = null;
      for (Object element : output.subList(0, 3)) {
        @SuppressWarnings("unchecked")
        Measurement m = ((StreamRecord<Measurement>) element).getValue();
        if (m.labels[3].equals("East") && RollingWindow.bucketOf(m.time) == T) {
          east = m;
        }
      }
      assertThat(east).isNotNull();
      assertThat(east.counts).containsExactly(2, 1, 2);
      assertThat(east.sums[0]).isEqualTo(150.0);
      assertThat(east.sums[1]).isEqualTo(6 * 86_400.0);
      assertThat(east.currentDelta).isEqualTo(3);
      LogHistogram cycles = new LogHistogram();
      east.addSamplesTo(cycles);
      assertThat(cycles.total).isEqualTo(2);
      assertThat(cycles.quantile(0.9)).isCloseTo(4 * 86_400.0, org.assertj.core.data.Percentage.withPercentage(1));
    }
  }

  @Test
  void aCheckpointTakesNothingHeld() throws Exception {
    try (OneInputStreamOperatorTestHarness<Measurement, Measurement> harness = combiner()) {
      harness.processElement(won(T + 1_000, "East", 100.0, 2), T + 1_000);
      harness.processElement(won(T + 2_000, "East", 100.0, 2), T + 2_000);
      harness.prepareSnapshotPreBarrier(1L);
      harness.snapshot(1L, T);
      assertThat(harness.extractOutputValues()).hasSize(1);
      assertThat(harness.extractOutputValues().get(0).counts[0]).isEqualTo(2);
      harness.processWatermark(T + MINUTE);
      assertThat(harness.extractOutputValues()).as("what went on at the barrier does not go again").hasSize(1);
    }
  }

  @Test
  void theAggregatorPublishesTheSameValuesFromSumsAsFromEachMeasurement() throws Exception {
    Random random = new Random(11);
    String[] teams = {"East", "West", "North"};
    List<List<Measurement>> steps = new ArrayList<>();
    List<Long> clocks = new ArrayList<>();
    long clock = T;
    for (int step = 0; step < 60; step++) {
      List<Measurement> batch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long time = clock + (long) (random.nextDouble() * 3 * MINUTE);
        String team = teams[random.nextInt(teams.length)];
        switch (random.nextInt(4)) {
          case 0 -> batch.add(lost(time, team));
          case 1 -> batch.add(open(time, team, random.nextInt(5) - 2));
          default -> batch.add(won(time, team, random.nextInt(4) == 0 ? Double.NaN : random.nextInt(1000),
              random.nextDouble() * 60));
        }
      }
      steps.add(batch);
      // the clock stays behind part of the batch, which then joins the next one's buckets
      clock += (long) (random.nextDouble() * 3 * MINUTE);
      clock -= clock % MINUTE;
      clocks.add(clock);
    }
    Map<String, Double> direct = publishedAfter(steps, clocks, false);
    Map<String, Double> combined = publishedAfter(steps, clocks, true);
    assertThat(direct).as("the history publishes").hasSizeGreaterThan(50);
    assertThat(combined.keySet()).isEqualTo(direct.keySet());
    for (Map.Entry<String, Double> entry : direct.entrySet()) {
      Double got = combined.get(entry.getKey());
      if (entry.getValue() == null || got == null) {
        assertThat(got).as(entry.getKey()).isEqualTo(entry.getValue());
      } else {
        assertThat(got).as(entry.getKey()).isCloseTo(entry.getValue(),
            org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(entry.getValue()))));
      }
    }
  }

  /** Every series and minute the aggregator published, by series and moment: each watermark follows its batch. */
  private static Map<String, Double> publishedAfter(List<List<Measurement>> steps, List<Long> clocks, boolean combine)
      throws Exception {
    Map<String, Double> published = new TreeMap<>();
    try (KeyedOneInputStreamOperatorTestHarness<String, Measurement, KpiSnapshot> aggregator =
             new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                 new RollingAggregator(new ClosedDealsKpi())), Measurement::key, Types.STRING);
         OneInputStreamOperatorTestHarness<Measurement, Measurement> combiner = combiner()) {
      aggregator.open();
      long clock = T;
      for (int step = 0; step < steps.size(); step++) {
        for (Measurement m : steps.get(step)) {
          Measurement copy = MeasurementSerializer.INSTANCE.copy(m);
          if (combine) {
            combiner.processElement(copy, m.time);
          } else {
            aggregator.processElement(copy, m.time);
          }
        }
        clock = clocks.get(step);
        if (combine) {
          combiner.processWatermark(clock);
          for (Measurement sum : combiner.extractOutputValues()) {
            aggregator.processElement(MeasurementSerializer.INSTANCE.copy(sum), sum.time);
          }
          combiner.getOutput().clear();
        }
        aggregator.processWatermark(clock);
      }
      aggregator.processWatermark(clock + 40 * DAY);
      for (KpiSnapshot kpi : aggregator.extractOutputValues()) {
        published.put(kpi.getMetric() + new TreeMap<>(kpi.getLabels()) + "@" + kpi.getAsOf(), kpi.getValue());
      }
    }
    return published;
  }
}
