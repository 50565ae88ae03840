package io.pipelinepulse.lifecycle;

import io.pipelinepulse.ingest.ChangeGate;
import io.pipelinepulse.ingest.DeadLetters;
import io.pipelinepulse.ingest.IngestOutputs;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.InputOutcome;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a lifecycle operator does when its lifecycle throws on a change or at a deadline: a failure
 * that would fail the task would fail it again after every restart, from the same input, so the
 * change (or the record's key, for a deadline) goes to the dead-letter topic with the exception,
 * is counted as {@code outcome="failed"}, and the operator goes on with the next.
 */
final class LifecycleFailures {

  static final String CHANGE_FAILED = "change-failed";
  static final String DEADLINE_FAILED = "deadline-failed";

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleFailures.class);

  private final DeadLetters deadLetters;
  private final String operator;
  private final String entity;
  private final ChangeGate.SideOutputs out;
  private final SingleObjectCodec<CrmChange> codec = Codecs.crmChange();

  /** @param entity the label the lifecycle's records are counted under at a deadline */
  LifecycleFailures(DeadLetters deadLetters, String operator, String entity, ChangeGate.SideOutputs out) {
    this.deadLetters = deadLetters;
    this.operator = operator;
    this.entity = entity;
    this.out = out;
  }

  void change(IngestedChange record, String key, RuntimeException failure) {
    LOG.warn("{} could not apply change {} of record {}; dead-lettered", operator, record.change.getEventId(), key,
        failure);
    out.output(IngestOutputs.DEAD_LETTERS, deadLetters.of(record, operator, CHANGE_FAILED, describe(failure),
        key.getBytes(StandardCharsets.UTF_8), codec.encode(record.change)));
    out.output(IngestOutputs.OUTCOMES,
        new InputOutcome(record.format, InputOutcome.entityLabel(record.change.getEntity()), InputOutcome.FAILED));
  }

  /** @param what the work that failed: a deadline, an owner's move to another team */
  void deadline(String key, long time, String what, RuntimeException failure) {
    LOG.warn("{} failed at {} of record {} at {}; dead-lettered", operator, what, key, Instant.ofEpochMilli(time),
        failure);
    IngestedChange origin = new IngestedChange();
    origin.format = InputOutcome.CLOCK;
    origin.topic = "";
    origin.partition = -1;
    origin.offset = -1;
    origin.recordTimestamp = -1;
    out.output(IngestOutputs.DEAD_LETTERS, deadLetters.of(origin, operator, DEADLINE_FAILED,
        what + " at " + Instant.ofEpochMilli(time) + ": " + describe(failure), key.getBytes(StandardCharsets.UTF_8),
        null));
    out.output(IngestOutputs.OUTCOMES, new InputOutcome(InputOutcome.CLOCK, entity, InputOutcome.FAILED));
  }

  /** The exception and where it was thrown. */
  private static String describe(RuntimeException failure) {
    StackTraceElement[] trace = failure.getStackTrace();
    return failure + (trace.length == 0 ? "" : " at " + trace[0]);
  }
}
