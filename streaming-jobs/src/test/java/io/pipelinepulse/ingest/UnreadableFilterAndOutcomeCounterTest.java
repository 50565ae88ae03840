package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import io.pipelinepulse.testing.Changes;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class UnreadableFilterAndOutcomeCounterTest {

  private static final long T = 1_767_607_200_000L;

  @Test
  void unreadableRecordsGoToDeadLettersAndCountAsInvalid() throws Exception {
    try (OneInputStreamOperatorTestHarness<IngestedChange, IngestedChange> harness =
        ProcessFunctionTestHarnesses.forProcessFunction(new UnreadableFilter())) {
      IngestedChange good = new IngestedChange();
      good.format = "canonical";
      good.change = Changes.opportunity("006A", ChangeType.CREATE, T);
      IngestedChange bad = new IngestedChange();
      bad.format = "canonical";
      bad.deadLetter = DeadLetter.newBuilder().setReason("undecodable").setFormat("canonical").setTopic("t")
          .setPartition(0).setOffset(5L).build();

      harness.processElement(good, T);
      harness.processElement(bad, Long.MIN_VALUE);

      assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.change).isEqualTo(good.change));
      assertThat(harness.getSideOutput(IngestOutputs.DEAD_LETTERS)).extracting(StreamRecord::getValue)
          .containsExactly(bad.deadLetter);
      assertThat(harness.getSideOutput(IngestOutputs.OUTCOMES)).extracting(StreamRecord::getValue)
          .singleElement().satisfies(o -> {
            assertThat(o.format).isEqualTo("canonical");
            assertThat(o.entity).isEqualTo("unknown");
            assertThat(o.outcome).isEqualTo(InputOutcome.INVALID);
          });
    }
  }

  @Test
  void counterPublishesTheRunningCountOncePerInterval() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, InputOutcome, KpiSnapshot> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new InputOutcomeCounter(1000), InputOutcome::counterKey, Types.STRING)) {
      harness.setProcessingTime(0);
      harness.processWatermark(T);
      for (int i = 0; i < 3; i++) {
        harness.processElement(new InputOutcome("canonical", "opportunity", InputOutcome.ACCEPTED), T);
      }
      harness.processElement(new InputOutcome("canonical", "opportunity", InputOutcome.DUPLICATE), T);
      assertThat(harness.extractOutputValues()).isEmpty();
      assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

      harness.setProcessingTime(1000);
      List<KpiSnapshot> first = harness.extractOutputValues();
      assertThat(first).hasSize(2).allSatisfy(s -> {
        assertThat(s.getMetric()).isEqualTo(InputOutcomeCounter.METRIC);
        assertThat(s.getKind()).isEqualTo(MetricKind.COUNTER);
        assertThat(s.getAsOf()).isEqualTo(T);
      });
      assertThat(first).extracting(KpiSnapshot::getLabels, KpiSnapshot::getValue).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple(
              Map.of("format", "canonical", "entity", "opportunity", "outcome", "accepted"), 3.0),
          org.assertj.core.groups.Tuple.tuple(
              Map.of("format", "canonical", "entity", "opportunity", "outcome", "duplicate"), 1.0));

      harness.getOutput().clear();
      harness.setProcessingTime(5000);
      assertThat(harness.extractOutputValues()).as("nothing new, nothing published").isEmpty();

      harness.processElement(new InputOutcome("canonical", "opportunity", InputOutcome.ACCEPTED), T);
      harness.setProcessingTime(6000);
      assertThat(harness.extractOutputValues()).singleElement()
          .satisfies(s -> assertThat(s.getValue()).isEqualTo(4.0));

      harness.getOutput().clear();
      harness.processElement(new InputOutcome("canonical", "opportunity", InputOutcome.ACCEPTED, 5), T);
      harness.setProcessingTime(7000);
      assertThat(harness.extractOutputValues()).as("a tally adds its count").singleElement()
          .satisfies(s -> assertThat(s.getValue()).isEqualTo(9.0));
    }
  }
}
