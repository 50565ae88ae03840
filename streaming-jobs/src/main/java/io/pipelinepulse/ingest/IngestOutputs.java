package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.GapEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the ingest operators. */
public final class IngestOutputs {

  private IngestOutputs() {}

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  /** Changes the source could not describe, for reconciliation with the CRM. */
  public static final OutputTag<GapEvent> GAPS =
      new OutputTag<>("gap-events", TypeInformation.of(GapEvent.class));

  public static final OutputTag<InputOutcome> OUTCOMES =
      new OutputTag<>("input-outcomes", TypeInformation.of(InputOutcome.class));
}
