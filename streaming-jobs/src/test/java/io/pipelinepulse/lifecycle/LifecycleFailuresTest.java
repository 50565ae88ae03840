package io.pipelinepulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.LeadTouched;
import io.pipelinepulse.ingest.IngestOutputs;
import io.pipelinepulse.ingest.InputOutcome;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.Changes;
import io.pipelinepulse.testing.LifecycleHarness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lifecycle that throws on a change or at a deadline does not fail the task: the change, or the
 * record at its deadline, is dead-lettered and counted, and every other change and deadline goes on.
 */
class LifecycleFailuresTest {

  private static final long T = 1_767_607_200_000L;
  private static final long DEADLINE_AFTER = 60_000L;

  /**
   * Counts each record's changes and keeps a deadline a minute after the last, at which it emits a
   * fact; throws on a change with the field {@code explode}, and at the deadline of a record whose
   * id starts with {@code fragile}.
   */
  static final class FaultyLifecycle extends RecordLifecycle {

    private transient ValueState<Long> applied;

    @Override
    protected void openState() {
      applied = getRuntimeContext().getState(new ValueStateDescriptor<>(recordStateName(), Long.class));
    }

    @Override
    protected void apply(CrmChange change, long time, RecordContext ctx, Collector<Fact> out) throws Exception {
      if (change.getFields().containsKey("explode")) {
        throw new IllegalStateException("cannot apply " + change.getEventId());
      }
      Long count = applied.value();
      applied.update(count == null ? 1 : count + 1);
      ctx.timerService().registerEventTimeTimer(time + DEADLINE_AFTER);
    }

    @Override
    protected void clockPassed(long time, RecordContext ctx, Collector<Fact> out) throws Exception {
      if (applied.value() == null || ctx.timerService().currentWatermark() < time) {
        return;
      }
      if (ctx.currentKey().startsWith("fragile")) {
        throw new ArithmeticException("deadline of " + ctx.currentKey());
      }
      out.collect(new LeadTouched(time, "u1", "East", "Web", 0));
    }

    @Override
    protected Entity entity() {
      return Entity.OPPORTUNITY;
    }

    @Override
    protected boolean holdsRecord() throws Exception {
      return applied.value() != null;
    }

    @Override
    protected String recordStateName() {
      return "applied";
    }

    @Override
    protected void ownerMoved(String ownerId, String from, String to, long time, RecordContext ctx,
        Collector<Fact> out) {}
  }

  private LifecycleHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = LifecycleHarness.open(new FaultyLifecycle(), record -> record.change.getRecordId(),
        PulseConfigLoader.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(CrmChange change) throws Exception {
    harness.processElement(LifecycleHarness.ingested(change), change.getCommitTime());
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(IngestOutputs.DEAD_LETTERS) == null ? List.of()
        : harness.getSideOutput(IngestOutputs.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
  }

  private List<String> failedOutcomes() {
    return harness.getSideOutput(IngestOutputs.OUTCOMES).stream().map(StreamRecord::getValue)
        .filter(outcome -> outcome.outcome.equals(InputOutcome.FAILED))
        .map(outcome -> outcome.format + "/" + outcome.entity).toList();
  }

  private long applied(String record) throws Exception {
    RecordLifecycleOperator operator = (RecordLifecycleOperator) harness.getOperator();
    operator.setCurrentKey(record);
    Long count = ((FaultyLifecycle) operator.getUserFunction()).applied.value();
    return count == null ? 0 : count;
  }

  @Test
  void aChangeItThrowsOnIsDeadLetteredAndTheRecordsNextChangesApply() throws Exception {
    CrmChange bad = Changes.opportunity("006A", ChangeType.UPDATE, T + 1_000, "explode", true);
    send(Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "Prospecting"));
    send(bad);
    send(Changes.opportunity("006A", ChangeType.UPDATE, T + 2_000, "stage", "Qualification"));
    send(Changes.opportunity("006B", ChangeType.CREATE, T + 1_000, "stage", "Prospecting"));
    harness.watermark(T + 10_000);

    assertThat(applied("006A")).isEqualTo(2);
    assertThat(applied("006B")).isEqualTo(1);
    List<DeadLetter> letters = deadLetters();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getReason()).isEqualTo(LifecycleFailures.CHANGE_FAILED);
    assertThat(letter.getDetail()).contains("IllegalStateException: cannot apply " + bad.getEventId())
        .contains("FaultyLifecycle.apply");
    assertThat(StandardCharsets.UTF_8.decode(letter.getKey()).toString()).isEqualTo("006A");
    assertThat(letter.getTopic()).isEqualTo("crm.changes");
    assertThat(Codecs.crmChange().decode(bytes(letter.getValue())).getEventId()).isEqualTo(bad.getEventId());
    assertThat(failedOutcomes()).containsExactly("canonical/opportunity");

    harness.watermark(T + 2 * DEADLINE_AFTER);
    assertThat(harness.extractOutputValues()).as("every deadline of both records passed").hasSize(3);
  }

  @Test
  void aDeadlineItThrowsAtIsDeadLetteredWithTheRecordsKeyAndTheClockGoesOn() throws Exception {
    send(Changes.opportunity("fragile-1", ChangeType.CREATE, T, "stage", "Prospecting"));
    send(Changes.opportunity("006B", ChangeType.CREATE, T + 1_000, "stage", "Prospecting"));
    harness.watermark(T + 2 * DEADLINE_AFTER);

    List<DeadLetter> letters = deadLetters();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getReason()).isEqualTo(LifecycleFailures.DEADLINE_FAILED);
    assertThat(letters.get(0).getDetail()).contains("a deadline at").contains("ArithmeticException");
    assertThat(StandardCharsets.UTF_8.decode(letters.get(0).getKey()).toString()).isEqualTo("fragile-1");
    assertThat(letters.get(0).getValue()).isNull();
    assertThat(failedOutcomes()).containsExactly("clock/opportunity");
    assertThat(harness.extractOutputValues()).as("the other record's deadline").hasSize(1);

    send(Changes.opportunity("fragile-1", ChangeType.UPDATE, T + 3 * DEADLINE_AFTER, "stage", "Qualification"));
    harness.watermark(T + 3 * DEADLINE_AFTER + 1);
    assertThat(applied("fragile-1")).as("its later changes still apply").isEqualTo(2);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
