package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id: lets each change through once. A redelivered change is counted as a
 * duplicate; a change older than the job's "now" is late: dead-lettered (so nothing is lost and
 * it can be inspected or replayed) and counted, never folded into KPIs already published.
 */
public final class IngestGate extends KeyedProcessFunction<String, IngestedChange, CrmChange> {

  private final Duration retention;
  private transient ValueState<Boolean> seen;
  private transient SingleObjectCodec<CrmChange> codec;

  public IngestGate(Duration retention) {
    this.retention = retention;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
    // Processing-time TTL: an id must be remembered for as long as redeliveries can happen,
    // which is wall time, also while a backfill replays old commit times.
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    seen = getRuntimeContext().getState(descriptor);
    codec = Codecs.crmChange();
  }

  @Override
  public void processElement(IngestedChange record, Context ctx, Collector<CrmChange> out) throws Exception {
    CrmChange change = record.change;
    String entity = InputOutcome.entityLabel(change.getEntity());
    if (seen.value() != null) {
      ctx.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.DUPLICATE));
      return;
    }
    seen.update(Boolean.TRUE);
    long now = ctx.timerService().currentWatermark();
    if (change.getCommitTime() <= now) {
      ctx.output(IngestOutputs.DEAD_LETTERS, record.toDeadLetter("late",
          "commit time " + java.time.Instant.ofEpochMilli(change.getCommitTime())
              + " is not after the job's now " + java.time.Instant.ofEpochMilli(now),
          codec.encode(change)));
      ctx.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.LATE));
      return;
    }
    ctx.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, entity, InputOutcome.ACCEPTED));
    out.collect(change);
  }
}
