package io.pipelinepulse.localstack.load;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.formats.debezium.DebeziumAdapter;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Debezium change events as JSON, one a line, read as the job reads a Debezium topic: the tables
 * and columns of {@code debezium.tables} (the default configuration's CRM tables).
 */
public final class DebeziumFormat implements ChangeFileFormat {

  private final DebeziumAdapter adapter = new DebeziumAdapter(PulseConfigLoader.defaults().debezium());

  @Override
  public String name() {
    return "debezium";
  }

  @Override
  public String description() {
    return "Debezium change events (JSON, with or without the schema) of the CRM tables, one a line";
  }

  @Override
  public List<CrmChange> parse(String line) throws RejectedLineException {
    try {
      return adapter.decode(null, line.getBytes(StandardCharsets.UTF_8)).changes();
    } catch (UndecodableRecordException e) {
      throw new RejectedLineException(e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      throw new RejectedLineException("unreadable", e.toString());
    }
  }
}
