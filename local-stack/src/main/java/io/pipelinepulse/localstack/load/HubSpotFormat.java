package io.pipelinepulse.localstack.load;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.formats.hubspot.HubSpotAdapter;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** HubSpot webhook deliveries (v3 JSON arrays of events), one a line, read as the job reads a hubspot topic. */
public final class HubSpotFormat implements ChangeFileFormat {

  private final HubSpotAdapter adapter = new HubSpotAdapter(PulseConfigLoader.defaults().hubspot());

  @Override
  public String name() {
    return "hubspot";
  }

  @Override
  public String description() {
    return "HubSpot webhook deliveries (JSON arrays of deal and contact events), one a line";
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
