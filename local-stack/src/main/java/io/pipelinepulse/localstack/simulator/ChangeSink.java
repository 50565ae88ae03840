package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.CrmChange;
import java.io.IOException;
import java.util.Optional;

/** Where the simulator's events go: Kafka, or a file for inspection and later loading. */
interface ChangeSink extends AutoCloseable {

  void accept(CrmChange change) throws IOException;

  /** Events the destination has confirmed so far (acknowledged by Kafka, or written). */
  long delivered();

  /** A failure after which sending more is pointless. */
  Optional<String> failure();

  /** Describes the destination for messages, e.g. "Kafka topic crm.changes at 127.0.0.1:9092". */
  String describe();

  /** Delivers everything accepted so far and releases the destination. */
  @Override
  void close() throws IOException;
}
