package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutcomeTallyTest {

  private OneInputStreamOperatorTestHarness<InputOutcome, InputOutcome> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(new OutcomeTally(200));
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(String entity, String outcome, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      harness.processElement(new StreamRecord<>(new InputOutcome("canonical", entity, outcome)));
    }
  }

  /** What went out since the last call, as "entity/outcome=count". */
  private List<String> sent() {
    List<String> lines = harness.extractOutputValues().stream()
        .map(o -> o.entity + "/" + o.outcome + "=" + o.count).sorted().toList();
    harness.getOutput().clear();
    return lines;
  }

  @Test
  void outcomesGoOnAddedUpPerCounterOncePerInterval() throws Exception {
    send("opportunity", InputOutcome.ACCEPTED, 5);
    send("opportunity", InputOutcome.DUPLICATE, 2);
    send("lead", InputOutcome.ACCEPTED, 3);
    harness.setProcessingTime(199);
    assertThat(sent()).isEmpty();

    harness.setProcessingTime(200);
    assertThat(sent()).containsExactly("lead/accepted=3", "opportunity/accepted=5", "opportunity/duplicate=2");

    send("lead", InputOutcome.ACCEPTED, 1);
    harness.setProcessingTime(400);
    assertThat(sent()).as("counted afresh after each flush").containsExactly("lead/accepted=1");
    harness.setProcessingTime(600);
    assertThat(sent()).as("nothing counted, nothing sent").isEmpty();
  }

  @Test
  void aTallyArrivingAddsItsCount() throws Exception {
    harness.processElement(new StreamRecord<>(new InputOutcome("canonical", "lead", InputOutcome.LATE, 4)));
    send("lead", InputOutcome.LATE, 1);
    harness.setProcessingTime(200);
    assertThat(sent()).containsExactly("lead/late=5");
  }

  @Test
  void nothingIsHeldAcrossACheckpointBarrierOrTheEndOfInput() throws Exception {
    send("activity", InputOutcome.ACCEPTED, 7);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(sent()).containsExactly("activity/accepted=7");

    send("activity", InputOutcome.ACCEPTED, 2);
    harness.getOneInputOperator().finish();
    assertThat(sent()).containsExactly("activity/accepted=2");
  }
}
