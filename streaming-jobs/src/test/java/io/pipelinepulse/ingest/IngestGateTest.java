package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.Changes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyed by event id: once through, duplicates counted, late changes dead-lettered. */
class IngestGateTest {

  private static final long T = 1_767_607_200_000L;
  private static final Duration RETENTION = Duration.ofDays(7);

  private KeyedOneInputStreamOperatorTestHarness<String, IngestedChange, CrmChange> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new IngestGate(RETENTION, new DeadLetters(PulseConfigLoader.defaults().deadLetters()))), record -> record.change.getEventId(), Types.STRING);
    harness.setStateTtlProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static IngestedChange ingested(CrmChange change, long offset) {
    IngestedChange record = new IngestedChange();
    record.change = change;
    record.format = "canonical";
    record.topic = "crm.changes";
    record.partition = 2;
    record.offset = offset;
    record.recordTimestamp = change.getCommitTime() + 5;
    return record;
  }

  private void deliver(CrmChange change, long offset) throws Exception {
    harness.processElement(new StreamRecord<>(ingested(change, offset), change.getCommitTime()));
  }

  private List<InputOutcome> outcomes() {
    return harness.getSideOutput(IngestOutputs.OUTCOMES) == null
        ? List.of()
        : harness.getSideOutput(IngestOutputs.OUTCOMES).stream().map(StreamRecord::getValue).toList();
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(IngestOutputs.DEAD_LETTERS) == null
        ? List.of()
        : harness.getSideOutput(IngestOutputs.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void firstDeliveryGoesOutAndRedeliveriesAreDuplicates() throws Exception {
    CrmChange change = Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "Prospecting");
    deliver(change, 10);
    deliver(CrmChange.newBuilder(change).build(), 11); // same event id, delivered again
    deliver(CrmChange.newBuilder(change).build(), 12);

    assertThat(harness.extractOutputValues()).containsExactly(change);
    assertThat(outcomes()).extracting(o -> o.format, o -> o.entity, o -> o.outcome).containsExactly(
        tuple("canonical", "opportunity", InputOutcome.ACCEPTED),
        tuple("canonical", "opportunity", InputOutcome.DUPLICATE),
        tuple("canonical", "opportunity", InputOutcome.DUPLICATE));
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void differentEventIdsOfTheSameRecordAreNotDuplicates() throws Exception {
    CrmChange first = Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "Prospecting");
    CrmChange second = Changes.opportunity("006A", ChangeType.UPDATE, T, "stage", "Prospecting");
    deliver(first, 1);
    deliver(second, 2);
    assertThat(harness.extractOutputValues()).containsExactly(first, second);
    assertThat(outcomes()).extracting(o -> o.outcome).containsExactly(InputOutcome.ACCEPTED, InputOutcome.ACCEPTED);
  }

  @Test
  void changeAtOrBeforeTheWatermarkIsLate() throws Exception {
    harness.processWatermark(T);
    CrmChange atNow = Changes.user("u-1", ChangeType.UPDATE, T, "team", "East");
    CrmChange afterNow = Changes.user("u-1", ChangeType.UPDATE, T + 1, "team", "West");
    CrmChange beforeNow = Changes.opportunity("006A", ChangeType.UPDATE, T - 60_000);

    deliver(atNow, 20);
    deliver(afterNow, 21);
    deliver(beforeNow, 22);

    assertThat(harness.extractOutputValues()).containsExactly(afterNow);
    assertThat(outcomes()).extracting(o -> o.entity, o -> o.outcome).containsExactly(
        tuple("user", InputOutcome.LATE),
        tuple("user", InputOutcome.ACCEPTED),
        tuple("opportunity", InputOutcome.LATE));

    List<DeadLetter> letters = deadLetters();
    assertThat(letters).hasSize(2);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getReason()).isEqualTo("late");
    assertThat(letter.getDetail()).contains("2026-01-05T10:00:00Z");
    assertThat(letter.getFormat()).isEqualTo("canonical");
    assertThat(letter.getTopic()).isEqualTo("crm.changes");
    assertThat(letter.getPartition()).isEqualTo(2);
    assertThat(letter.getOffset()).isEqualTo(20L);
    assertThat(letter.getRecordTimestamp()).isEqualTo(T + 5);
    // the value is the change itself, replayable
    assertThat(Codecs.crmChange().decode(bytes(letter.getValue()))).isEqualTo(atNow);
    assertThat(letters.get(1).getOffset()).isEqualTo(22L);
    assertThat(Codecs.crmChange().decode(bytes(letters.get(1).getValue()))).isEqualTo(beforeNow);
  }

  @Test
  void redeliveryOfALateChangeIsADuplicateNotLateAgain() throws Exception {
    harness.processWatermark(T);
    CrmChange late = Changes.opportunity("006A", ChangeType.UPDATE, T - 1);
    deliver(late, 1);
    deliver(CrmChange.newBuilder(late).build(), 2);
    assertThat(outcomes()).extracting(o -> o.outcome).containsExactly(InputOutcome.LATE, InputOutcome.DUPLICATE);
    assertThat(deadLetters()).hasSize(1);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void duplicateIsRecognisedEvenAfterTheWatermarkPassedIt() throws Exception {
    CrmChange change = Changes.opportunity("006A", ChangeType.CREATE, T);
    deliver(change, 1);
    harness.processWatermark(T + 3_600_000L);
    deliver(CrmChange.newBuilder(change).build(), 2);
    assertThat(outcomes()).extracting(o -> o.outcome).containsExactly(InputOutcome.ACCEPTED, InputOutcome.DUPLICATE);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void eventIdIsForgottenAfterTheRetentionInWallTime() throws Exception {
    CrmChange change = Changes.opportunity("006A", ChangeType.CREATE, T);
    deliver(change, 1);
    harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
    deliver(CrmChange.newBuilder(change).build(), 2);
    harness.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
    deliver(CrmChange.newBuilder(change).build(), 3);

    assertThat(outcomes()).extracting(o -> o.outcome).containsExactly(
        InputOutcome.ACCEPTED, InputOutcome.DUPLICATE, InputOutcome.ACCEPTED);
  }

  @Test
  void entityLabelOfEveryEntity() {
    assertThat(InputOutcome.entityLabel(Entity.LEAD)).isEqualTo("lead");
    assertThat(InputOutcome.entityLabel(Entity.ACTIVITY)).isEqualTo("activity");
    assertThat(InputOutcome.entityLabel(null)).isEqualTo("unknown");
    assertThat(new InputOutcome("canonical", "lead", "late").counterKey()).isEqualTo("canonical|lead|late");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
