package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Lets each change in once and in time, inside whichever keyed operator first holds it (a
 * record's lifecycle, keyed by record id): a redelivered change is a duplicate; a change not after
 * the job's "now" is late, dead-lettered (nothing is lost, it can be inspected or replayed) and
 * never folded into KPIs already published. Both are counted as input outcomes.
 *
 * <p>The event ids of the current key are remembered for the retention in processing time:
 * redeliveries happen in wall time, also while a backfill replays old commit times. They outlive
 * the record's own state, so a redelivery after a deal closed is still a duplicate. Each id is kept
 * as a 64-bit hash with the moment it was first seen, all of a key's in one {@code long[]}: a map
 * of id texts with a TTL per entry cost more to keep, to expire and to checkpoint than the
 * lifecycle itself. Two ids of one record within the retention share a hash with a chance of about
 * n² / 2^65 for n ids.
 */
public final class ChangeGate {

  /** Where a keyed operator's side outputs go: {@code ctx::output}. */
  @FunctionalInterface
  public interface SideOutputs {
    <X> void output(OutputTag<X> tag, X value);
  }

  /** Pairs of (hash of an event id, processing time it was first seen). */
  private final ValueState<long[]> seen;
  private final long retentionMillis;
  private final SingleObjectCodec<CrmChange> codec;
  private final DeadLetters deadLetters;
  private final String operator;

  /** @param operator the name of the operator it is in, for its dead letters */
  public ChangeGate(RuntimeContext context, Duration retention, DeadLetters deadLetters, String operator) {
    ValueStateDescriptor<long[]> descriptor = new ValueStateDescriptor<>("seen-event-ids",
        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    // The whole memory of a key goes a retention after its last new id; single ids expire below.
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        // One expired key visited per access, not Flink's five: at most one key expires per new
        // change, so the sweep keeps pace, and it cost a tenth of the record's operator at five.
        .cleanupIncrementally(1, false)
        .build());
    this.seen = context.getState(descriptor);
    this.retentionMillis = retention.toMillis();
    this.codec = Codecs.crmChange();
    this.deadLetters = deadLetters;
    this.operator = operator;
  }

  /**
   * Remembers {@code hash} as seen at {@code wallNow}, forgetting ids seen more than a retention
   * ago; false when it was already remembered.
   */
  private boolean remember(long hash, long wallNow) throws Exception {
    long[] ids = seen.value();
    int kept = 0;
    if (ids != null) {
      for (int i = 0; i < ids.length; i += 2) {
        if (wallNow - ids[i + 1] < retentionMillis) {
          if (ids[i] == hash) {
            return false;
          }
          kept += 2;
        }
      }
    }
    long[] updated = new long[kept + 2];
    int at = 0;
    if (ids != null) {
      for (int i = 0; i < ids.length; i += 2) {
        if (wallNow - ids[i + 1] < retentionMillis) {
          updated[at++] = ids[i];
          updated[at++] = ids[i + 1];
        }
      }
    }
    updated[at] = hash;
    updated[at + 1] = wallNow;
    seen.update(updated);
    return true;
  }

  /**
   * Whether {@code record}'s change is new (by event id, within the retention before
   * {@code wallNow}, the processing time) and after {@code now}, the job's clock; otherwise its outcome (and a
   * late one's dead letter) go to {@code out} when {@code counted}. A change that two operators
   * see (an activity of a lead and a deal) is counted by one of them.
   */
  public boolean admit(IngestedChange record, long now, long wallNow, boolean counted, SideOutputs out)
      throws Exception {
    CrmChange change = record.change;
    String entity = InputOutcome.entityLabel(change.getEntity());
    if (!remember(EventIdHash.of(change.getEventId()), wallNow)) {
      if (counted) {
        out.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.DUPLICATE));
      }
      return false;
    }
    if (change.getCommitTime() <= now) {
      if (counted) {
        out.output(IngestOutputs.DEAD_LETTERS, deadLetters.of(record, operator, "late",
            "commit time " + Instant.ofEpochMilli(change.getCommitTime()) + " is not after the job's now "
                + Instant.ofEpochMilli(now), null, codec.encode(change)));
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
