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

  private static final long T = 1_767_607_200_000L; // a whole second

  private KeyedOneInputStreamOperatorTestHarness<String, Fact, KpiSnapshot> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CurrentStateAggregator()), CurrentStateSeries::keyOf, Types.STRING);
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
  void burstWithinASecondIsPublishedOnceAtTheEndOfTheSecond() throws Exception {
    delta(T + 100, 1, 1000.0, 100.0);
    delta(T + 200, 1, 500.0, 50.0);
    delta(T + 900, -1, -1000.0, -100.0);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.processWatermark(T + 998);
    assertThat(published()).isEmpty();
    harness.processWatermark(T + 999);
    assertThat(published()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "pulse_open_deals" + "@999", 1.0,
        "pulse_open_pipeline_amount" + "@999", 500.0,
        "pulse_weighted_pipeline_amount" + "@999", 50.0));
  }

  @Test
  void emptiedDimensionPublishesCleanZerosAndDropsItsState() throws Exception {
    // deltas arrive as the upstream operators release them: each before the watermark passing it
    delta(T, 1, 0.1, 0.07);
    harness.processWatermark(T + 999);
    delta(T + 1_000, 1, 0.2, 0.03);
    harness.processWatermark(T + 1_999);
    delta(T + 2_000, -1, -0.1, -0.07);
    delta(T + 2_500, -1, -0.2, -0.03);
    harness.processWatermark(T + 2_999);
    Map<String, Double> values = published();
    assertThat(values).containsEntry("pulse_open_deals" + "@999", 1.0)
        .containsEntry("pulse_open_deals" + "@1999", 2.0)
        .containsEntry("pulse_open_deals" + "@2999", 0.0)
        .containsEntry("pulse_open_pipeline_amount" + "@2999", 0.0)
        .containsEntry("pulse_weighted_pipeline_amount" + "@2999", 0.0);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void afterAWatermarkJumpTheLatestPublicationHoldsTheCurrentTotals() throws Exception {
    delta(T + 100, 1, 1000.0, 100.0);
    delta(T + 1_500, 1, 500.0, 50.0);
    delta(T + 2_500, -1, -1000.0, -100.0);
    harness.processWatermark(T + 5_000);
    List<KpiSnapshot> out = harness.extractOutputValues();
    KpiSnapshot last = out.get(out.size() - 3);
    assertThat(last.getMetric()).isEqualTo("pulse_open_deals");
    assertThat(last.getValue()).isEqualTo(1.0);
  }

  @Test
  void snapshotAsOfASecondHoldsOnlyTheDeltasUpToThatSecond() throws Exception {
    // as the lifecycles deliver them when the watermark jumps from T to T+1999: both before the watermark
    delta(T + 100, 1, 1000.0, 100.0);
    delta(T + 1_500, 1, 500.0, 50.0);
    harness.processWatermark(T + 1_999);
    assertThat(published())
        .containsEntry("pulse_open_deals" + "@999", 1.0)
        .containsEntry("pulse_open_pipeline_amount" + "@999", 1000.0)
        .containsEntry("pulse_open_deals" + "@1999", 2.0);
  }

  @Test
  void onlySeriesWhoseValueChangedArePublished() throws Exception {
    delta(T + 100, 1, 1000.0, 100.0);
    harness.processWatermark(T + 999);
    published();
    delta(T + 1_100, 0, 200.0, 20.0); // an amount edit: the count stays
    harness.processWatermark(T + 1_999);
    assertThat(published()).containsOnlyKeys("pulse_open_pipeline_amount@1999", "pulse_weighted_pipeline_amount@1999");
    delta(T + 2_100, 1, 10.0, 1.0);
    delta(T + 2_200, -1, -10.0, -1.0); // in and out within the second: nothing moved
    harness.processWatermark(T + 2_999);
    assertThat(published()).isEmpty();
  }

  @Test
  void negativeTimeRoundsToTheEndOfItsOwnSecond() {
    assertThat(CurrentStateAggregator.endOfSecond(T)).isEqualTo(T + 999);
    assertThat(CurrentStateAggregator.endOfSecond(T + 999)).isEqualTo(T + 999);
    assertThat(CurrentStateAggregator.endOfSecond(-1)).isEqualTo(-1);
    assertThat(CurrentStateAggregator.endOfSecond(-1000)).isEqualTo(-1);
  }
}
