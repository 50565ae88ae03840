package io.pipelinepulse.localstack.load;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.InputAdapters;
import io.pipelinepulse.localstack.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The formats the loader understands, read with the default configuration's mappings (tables,
 * fields, statuses); a new format is one more entry here.
 */
public final class ChangeFileFormats {

  private static final Map<String, ChangeFileFormat> FORMATS = new LinkedHashMap<>();

  static {
    register(new CanonicalFormat());
    PulseConfig defaults = PulseConfigLoader.defaults();
    register(new AdapterFileFormat("debezium",
        "Debezium change events (JSON, with or without the schema) of the CRM tables, one a line",
        InputAdapters.of(InputFormat.DEBEZIUM, defaults)));
    register(new AdapterFileFormat("salesforce-cdc",
        "Salesforce Change Data Capture events (Pub/Sub API decoded or Streaming API JSON), one a line",
        InputAdapters.of(InputFormat.SALESFORCE_CDC, defaults)));
    register(new AdapterFileFormat("hubspot",
        "HubSpot webhook deliveries (JSON arrays of deal and contact events), one a line",
        InputAdapters.of(InputFormat.HUBSPOT, defaults)));
  }

  private ChangeFileFormats() {}

  private static void register(ChangeFileFormat format) {
    FORMATS.put(format.name(), format);
  }

  public static List<ChangeFileFormat> all() {
    return List.copyOf(FORMATS.values());
  }

  public static ChangeFileFormat named(String name) throws UsageException {
    ChangeFileFormat format = FORMATS.get(name);
    if (format == null) {
      throw new UsageException("unknown --format '" + name + "'; supported: " + String.join(", ", FORMATS.keySet()));
    }
    return format;
  }
}
