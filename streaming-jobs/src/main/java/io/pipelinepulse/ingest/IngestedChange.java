package io.pipelinepulse.ingest;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;

/**
 * One input record as read from Kafka: either a readable change or the dead letter saying why it
 * is not, with the origin needed to dead-letter it later (a late change is only found late).
 */
public class IngestedChange {

  public CrmChange change;
  public DeadLetter deadLetter;
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
