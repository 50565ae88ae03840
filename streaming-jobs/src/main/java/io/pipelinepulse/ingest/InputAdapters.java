package io.pipelinepulse.ingest;

import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.ingest.formats.CanonicalAdapter;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.ingest.formats.debezium.DebeziumAdapter;
import io.pipelinepulse.ingest.formats.hubspot.HubSpotAdapter;
import io.pipelinepulse.ingest.formats.salesforce.SalesforceCdcAdapter;

/** The adapter of each input format. */
public final class InputAdapters {

  private InputAdapters() {}

  public static InputAdapter of(InputFormat format, PulseConfig config) {
    return switch (format) {
      case CANONICAL -> new CanonicalAdapter(config.input());
      case DEBEZIUM -> new DebeziumAdapter(config.debezium());
      case SALESFORCE_CDC -> new SalesforceCdcAdapter(config.salesforce());
      case HUBSPOT -> new HubSpotAdapter(config.hubspot());
    };
  }
}
