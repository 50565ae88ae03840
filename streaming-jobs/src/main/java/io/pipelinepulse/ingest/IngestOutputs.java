package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the ingest operators. */
public final class IngestOutputs {

  private IngestOutputs() {}

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  public static final OutputTag<InputOutcome> OUTCOMES =
      new OutputTag<>("input-outcomes", TypeInformation.of(InputOutcome.class));
}
