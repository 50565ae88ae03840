package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * Lets each change in once and in time, inside whichever keyed operator first holds it (a
 * record's lifecycle, keyed by record id): a redelivered change is a duplicate; a change not after
 * the job's "now" is late, dead-lettered (nothing is lost, it can be inspected or replayed) and
 * never folded into KPIs already published. Both are counted as input outcomes.
 *
 * <p>The event ids of the current key are remembered for the retention with a processing-time
 * TTL: redeliveries happen in wall time, also while a backfill replays old commit times. They
 * outlive the record's own state, so a redelivery after a deal closed is still a duplicate.
 */
public final class ChangeGate {

  /** Where a keyed operator's side outputs go: {@code ctx::output}. */
  @FunctionalInterface
  public interface SideOutputs {
    <X> void output(OutputTag<X> tag, X value);
  }

  private final MapState<String, Boolean> seen;
  private final SingleObjectCodec<CrmChange> codec;

  public ChangeGate(RuntimeContext context, Duration retention) {
    MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("seen-event-ids", Types.STRING,
        Types.BOOLEAN);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    this.seen = context.getMapState(descriptor);
    this.codec = Codecs.crmChange();
  }

  /**
   * Whether {@code record}'s change is new and after {@code now}; otherwise its outcome (and a
   * late one's dead letter) go to {@code out} when {@code counted}. A change that two operators
   * see (an activity of a lead and a deal) is counted by one of them.
   */
  public boolean admit(IngestedChange record, long now, boolean counted, SideOutputs out) throws Exception {
    CrmChange change = record.change;
    String entity = InputOutcome.entityLabel(change.getEntity());
    if (seen.contains(change.getEventId())) {
      if (counted) {
        out.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.DUPLICATE));
      }
      return false;
    }
    seen.put(change.getEventId(), Boolean.TRUE);
    if (change.getCommitTime() <= now) {
      if (counted) {
        out.output(IngestOutputs.DEAD_LETTERS, record.toDeadLetter("late",
            "commit time " + Instant.ofEpochMilli(change.getCommitTime()) + " is not after the job's now "
                + Instant.ofEpochMilli(now), codec.encode(change)));
        out.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.LATE));
      }
      return false;
    }
    if (counted) {
      out.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.ACCEPTED));
    }
    return true;
  }
}
