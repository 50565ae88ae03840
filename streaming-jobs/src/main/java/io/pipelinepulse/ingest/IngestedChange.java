package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.GapEvent;

/**
 * One input record as read from Kafka: a readable change, a gap event, or the dead letter saying
 * why it is neither, with the origin needed to dead-letter it later (a late change is only found late).
 */
public class IngestedChange {

  public CrmChange change;
  public DeadLetter deadLetter;
  /** A change the source could not describe, and the entity label it is counted under. */
  public GapEvent gap;
  public String gapEntity;
  public String format;
  public String topic;
  public int partition;
  public long offset;
  public long recordTimestamp;

  public IngestedChange() {}

  public boolean isReadable() {
    return change != null;
  }
}
