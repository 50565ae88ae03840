package io.pipelinepulse.ingest.formats;

import java.io.Serializable;

/** Reads the records of one input format as canonical changes. */
public interface InputAdapter extends Serializable {

  /**
   * The changes one Kafka record carries: usually one, several for a record naming several CRM
   * records, none for a record that carries no change (a Debezium tombstone); or a gap notice.
   *
   * @throws io.pipelinepulse.schema.codec.UndecodableRecordException with the dead-letter reason
   */
  Decoded decode(byte[] key, byte[] value);
}
