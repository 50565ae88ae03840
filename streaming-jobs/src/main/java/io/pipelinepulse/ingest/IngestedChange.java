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

  /** A dead letter for this record's origin, carrying the change re-encoded as its value. */
  public DeadLetter toDeadLetter(String reason, String detail, byte[] value) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setDetail(detail)
        .setFormat(format)
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(null)
        .setValue(value == null ? null : java.nio.ByteBuffer.wrap(value))
        .setRecordTimestamp(recordTimestamp)
        .build();
  }
}
