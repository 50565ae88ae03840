package io.pipelinepulse.localstack.load;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.salesforce.SalesforceCdcAdapter;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Salesforce Change Data Capture events as JSON, one a line, read as the job reads a
 * {@code salesforce-cdc} topic. A gap event carries no change to send: its line is reported with
 * the records to fetch again from Salesforce.
 */
public final class SalesforceCdcFormat implements ChangeFileFormat {

  private final SalesforceCdcAdapter adapter = new SalesforceCdcAdapter(PulseConfigLoader.defaults().salesforce());

  @Override
  public String name() {
    return "salesforce-cdc";
  }

  @Override
  public String description() {
    return "Salesforce Change Data Capture events (Pub/Sub API decoded or Streaming API JSON), one a line";
  }

  @Override
  public List<CrmChange> parse(String line) throws RejectedLineException {
    Decoded decoded;
    try {
      decoded = adapter.decode(null, line.getBytes(StandardCharsets.UTF_8));
    } catch (UndecodableRecordException e) {
      throw new RejectedLineException(e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      throw new RejectedLineException("unreadable", e.toString());
    }
    if (!decoded.gaps().isEmpty()) {
      Decoded.Gap gap = decoded.gaps().get(0);
      throw new RejectedLineException("gap event", gap.gapType() + " of " + gap.sourceEntity() + ": fetch "
          + (gap.recordIds().isEmpty() ? "every record" : String.join(", ", gap.recordIds())) + " again from Salesforce");
    }
    return decoded.changes();
  }
}
