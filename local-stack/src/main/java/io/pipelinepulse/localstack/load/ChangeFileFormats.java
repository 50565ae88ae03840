package io.pipelinepulse.localstack.load;

import io.pipelinepulse.localstack.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The formats the loader understands; a new format is one more entry here. */
public final class ChangeFileFormats {

  private static final Map<String, ChangeFileFormat> FORMATS = new LinkedHashMap<>();

  static {
    register(new CanonicalFormat());
    register(new DebeziumFormat());
    register(new SalesforceCdcFormat());
    register(new HubSpotFormat());
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
