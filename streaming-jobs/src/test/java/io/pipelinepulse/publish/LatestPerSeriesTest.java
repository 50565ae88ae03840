package io.pipelinepulse.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatestPerSeriesTest {

  private OneInputStreamOperatorTestHarness<KpiSnapshot, KpiSnapshot> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(new LatestPerSeries(500));
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(String stage, double value, long asOf) throws Exception {
    harness.processElement(new StreamRecord<>(open(stage, value, asOf)));
  }

  private static KpiSnapshot open(String stage, Double value, long asOf) {
    return Kpi.gauge("pulse_open_deals", Kpi.labels("pipeline", "default", "stage", stage, "team", "East"), value, asOf);
  }

  /** What went out since the last call, as "stage=value@asOf". */
  private List<String> sent() {
    List<String> lines = harness.extractOutputValues().stream()
        .map(s -> s.getLabels().get("stage") + "=" + s.getValue() + "@" + s.getAsOf()).toList();
    harness.getOutput().clear();
    return lines;
  }

  @Test
  void onlyTheLatestValueOfEachSeriesGoesOutOnTheNextWatermark() throws Exception {
    send("Qualification", 1, 1000);
    send("Proposal", 1, 1000);
    send("Qualification", 2, 2000);
    send("Qualification", 3, 3000);
    assertThat(sent()).isEmpty();

    harness.processWatermark(new Watermark(3000));
    assertThat(harness.getOutput()).last().isInstanceOf(Watermark.class);
    assertThat(sent()).containsExactly("Qualification=3.0@3000", "Proposal=1.0@1000");

    harness.processWatermark(new Watermark(4000));
    assertThat(sent()).as("nothing new, nothing sent").isEmpty();
  }

  @Test
  void anAbsentValueIsPassedOnAsTheLatest() throws Exception {
    send("Qualification", 1, 1000);
    harness.processElement(new StreamRecord<>(open("Qualification", null, 2000)));
    harness.processWatermark(new Watermark(2000));
    assertThat(sent()).containsExactly("Qualification=null@2000");
  }

  @Test
  void valuesGoOutOnWallTimeWhileTheClockStandsStillAndBeforeACheckpoint() throws Exception {
    send("Qualification", 1, 1000);
    harness.setProcessingTime(499);
    assertThat(sent()).isEmpty();
    harness.setProcessingTime(500);
    assertThat(sent()).containsExactly("Qualification=1.0@1000");

    send("Proposal", 2, 1000);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(sent()).containsExactly("Proposal=2.0@1000");
  }
}
