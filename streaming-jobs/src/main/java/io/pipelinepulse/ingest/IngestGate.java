package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id: the {@link ChangeGate} of the changes no record lifecycle holds (users,
 * activities linked to neither a deal nor a lead).
 */
public final class IngestGate extends KeyedProcessFunction<String, IngestedChange, CrmChange> {

  private final Duration retention;
  private final DeadLetters deadLetters;
  private transient ChangeGate gate;

  public IngestGate(Duration retention, DeadLetters deadLetters) {
    this.retention = retention;
    this.deadLetters = deadLetters;
  }

  @Override
  public void open(OpenContext openContext) {
    gate = new ChangeGate(getRuntimeContext(), retention, deadLetters, "dedup-and-late");
  }

  @Override
  public void processElement(IngestedChange record, Context ctx, Collector<CrmChange> out) throws Exception {
    if (gate.admit(record, ctx.timerService().currentWatermark(), ctx.timerService().currentProcessingTime(), true,
        ctx::output)) {
      out.collect(record.change);
    }
  }
}
