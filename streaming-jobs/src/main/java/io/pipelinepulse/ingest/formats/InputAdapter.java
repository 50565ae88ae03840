package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.schema.CrmChange;
import java.io.Serializable;
import java.util.List;

/** Reads the records of one input format as canonical changes. */
public interface InputAdapter extends Serializable {

  /**
   * The changes one Kafka record carries: usually one, several for a record naming several CRM
   * records, none for a record that carries no change (a Debezium tombstone).
   *
   * @throws io.pipelinepulse.schema.codec.UndecodableRecordException with the dead-letter reason
   */
  List<CrmChange> decode(byte[] key, byte[] value);
}
