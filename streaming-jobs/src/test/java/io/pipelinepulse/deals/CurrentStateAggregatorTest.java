package io.pipelinepulse.deals;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CurrentStateAggregatorTest {

  private static final long T = 1_767_607_200_000L; // a whole step
  private static final long S = 250;

  private KeyedOneInputStreamOperatorTestHarness<String, Fact, KpiSnapshot> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CurrentStateAggregator(java.time.Duration.ofMillis(S))), CurrentStateSeries::keyOf, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void delta(long time, long count, double amount, double weighted) throws Exception {
    harness.processElement(
        new OpenDealDelta(OpenDealDelta.State.OPEN, time, "u1", "East", "default", "Qualification", count, amount,
            weighted), time);
  }

  private Map<String, Double> published() {
    Map<String, Double> values = new TreeMap<>();
    List<KpiSnapshot> out = harness.extractOutputValues();
    for (KpiSnapshot s : out) {
      assertThat(s.getLabels()).containsExactlyInAnyOrderEntriesOf(
          Map.of("pipeline", "default", "stage", "Qualification", "team", "East"));
      values.put(s.getMetric() + "@" + (s.getAsOf() - T), s.getValue());
    }
    harness.getOutput().clear();
    return values;
  }

  @Test
  void burstWithinAStepIsPublishedOnceAtTheEndOfTheStep() throws Exception {
    delta(T + S / 10, 1, 1000.0, 100.0);
    delta(T + S / 5, 1, 500.0, 50.0);
    delta(T + S * 9 / 10, -1, -1000.0, -100.0);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.processWatermark(T + S - 2);
    assertThat(published()).isEmpty();
    harness.processWatermark(T + S - 1);
    assertThat(published()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "pulse_open_deals" + "@" + (S - 1), 1.0,
        "pulse_open_pipeline_amount" + "@" + (S - 1), 500.0,
        "pulse_weighted_pipeline_amount" + "@" + (S - 1), 50.0));
  }

  @Test
  void emptiedDimensionPublishesCleanZerosAndDropsItsState() throws Exception {
    // deltas arrive as the upstream operators release them: each before the watermark passing it
    delta(T, 1, 0.1, 0.07);
    harness.processWatermark(T + S - 1);
    delta(T + S, 1, 0.2, 0.03);
    harness.processWatermark(T + 2 * S - 1);
    delta(T + 2 * S, -1, -0.1, -0.07);
    delta(T + S * 5 / 2, -1, -0.2, -0.03);
    harness.processWatermark(T + 3 * S - 1);
    Map<String, Double> values = published();
    assertThat(values).containsEntry("pulse_open_deals" + "@" + (S - 1), 1.0)
        .containsEntry("pulse_open_deals" + "@" + (2 * S - 1), 2.0)
        .containsEntry("pulse_open_deals" + "@" + (3 * S - 1), 0.0)
        .containsEntry("pulse_open_pipeline_amount" + "@" + (3 * S - 1), 0.0)
        .containsEntry("pulse_weighted_pipeline_amount" + "@" + (3 * S - 1), 0.0);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void afterAWatermarkJumpTheLatestPublicationHoldsTheCurrentTotals() throws Exception {
    delta(T + S / 10, 1, 1000.0, 100.0);
    delta(T + S * 3 / 2, 1, 500.0, 50.0);
    delta(T + S * 5 / 2, -1, -1000.0, -100.0);
    harness.processWatermark(T + 5 * S);
    List<KpiSnapshot> out = harness.extractOutputValues();
    KpiSnapshot last = out.get(out.size() - 3);
    assertThat(last.getMetric()).isEqualTo("pulse_open_deals");
    assertThat(last.getValue()).isEqualTo(1.0);
  }

  @Test
  void snapshotAsOfAStepHoldsOnlyTheDeltasUpToThatStep() throws Exception {
    // as the lifecycles deliver them when the watermark jumps from T to the end of the second step: both before the watermark
    delta(T + S / 10, 1, 1000.0, 100.0);
    delta(T + S * 3 / 2, 1, 500.0, 50.0);
    harness.processWatermark(T + 2 * S - 1);
    assertThat(published())
        .containsEntry("pulse_open_deals" + "@" + (S - 1), 1.0)
        .containsEntry("pulse_open_pipeline_amount" + "@" + (S - 1), 1000.0)
        .containsEntry("pulse_open_deals" + "@" + (2 * S - 1), 2.0);
  }

  @Test
  void onlySeriesWhoseValueChangedArePublished() throws Exception {
    delta(T + S / 10, 1, 1000.0, 100.0);
    harness.processWatermark(T + S - 1);
    published();
    delta(T + S + S / 10, 0, 200.0, 20.0); // an amount edit: the count stays
    harness.processWatermark(T + 2 * S - 1);
    assertThat(published()).containsOnlyKeys(
        "pulse_open_pipeline_amount@" + (2 * S - 1), "pulse_weighted_pipeline_amount@" + (2 * S - 1));
    delta(T + 2 * S + S / 10, 1, 10.0, 1.0);
    delta(T + 2 * S + S / 5, -1, -10.0, -1.0); // in and out within the step: nothing moved
    harness.processWatermark(T + 3 * S - 1);
    assertThat(published()).isEmpty();
  }

  @Test
  void negativeTimeRoundsToTheEndOfItsOwnStep() {
    assertThat(CurrentStateAggregator.endOfStep(T, S)).isEqualTo(T + S - 1);
    assertThat(CurrentStateAggregator.endOfStep(T + S - 1, S)).isEqualTo(T + S - 1);
    assertThat(CurrentStateAggregator.endOfStep(T + S, S)).isEqualTo(T + 2 * S - 1);
    assertThat(CurrentStateAggregator.endOfStep(-1, S)).isEqualTo(-1);
    assertThat(CurrentStateAggregator.endOfStep(-S, S)).isEqualTo(-1);
  }
}
