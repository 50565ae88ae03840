package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.config.DebeziumTables;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.ingest.formats.debezium.DebeziumAdapter;

/** The adapter of each input format. */
public final class InputAdapters {

  private InputAdapters() {}

  public static InputAdapter of(InputFormat format, DebeziumTables debezium) {
    return switch (format) {
      case CANONICAL -> new CanonicalAdapter();
      case DEBEZIUM -> new DebeziumAdapter(debezium);
    };
  }
}
