package io.pipelinepulse.ingest;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends unreadable records to the dead-letter output (counted as invalid), gap events to the
 * reconciliation output (counted as gap), readable ones on.
 */
public final class UnreadableFilter extends ProcessFunction<IngestedChange, IngestedChange> {

  @Override
  public void processElement(IngestedChange record, Context ctx, Collector<IngestedChange> out) {
    if (record.isReadable()) {
      out.collect(record);
      return;
    }
    if (record.gap != null) {
      ctx.output(IngestOutputs.GAPS, record.gap);
      ctx.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, record.gapEntity, InputOutcome.GAP));
      return;
    }
    ctx.output(IngestOutputs.DEAD_LETTERS, record.deadLetter);
    ctx.output(IngestOutputs.OUTCOMES, new InputOutcome(record.format, "unknown", InputOutcome.INVALID));
  }
}
