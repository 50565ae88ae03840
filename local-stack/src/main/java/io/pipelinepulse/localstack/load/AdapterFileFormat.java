package io.pipelinepulse.localstack.load;

import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A source format read line by line through the job's own adapter for it, so a file loads as the
 * job would read the same records from a topic. A gap event carries no change to send: its line
 * is reported with the records to fetch again from the source.
 */
final class AdapterFileFormat implements ChangeFileFormat {

  private final String name;
  private final String description;
  private final InputAdapter adapter;

  AdapterFileFormat(String name, String description, InputAdapter adapter) {
    this.name = name;
    this.description = description;
    this.adapter = adapter;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<CrmChange> parse(String line) throws RejectedLineException {
    Decoded decoded;
    try {
      decoded = adapter.decode(null, line.getBytes(StandardCharsets.UTF_8));
    } catch (UndecodableRecordException e) {
      throw new RejectedLineException(e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      // An adapter bug must cost one line, not the whole load.
      throw new RejectedLineException("unreadable", e.toString());
    }
    if (!decoded.refused().isEmpty()) {
      // The job would dead-letter the event alone; a file is better fixed before it is loaded.
      Decoded.Refused refused = decoded.refused().get(0);
      throw new RejectedLineException(refused.reason(), refused.detail());
    }
    if (!decoded.gaps().isEmpty()) {
      Decoded.Gap gap = decoded.gaps().get(0);
      throw new RejectedLineException("gap event", gap.gapType() + " of " + gap.sourceEntity() + ": fetch "
          + (gap.recordIds().isEmpty() ? "every record" : String.join(", ", gap.recordIds())) + " again from the source");
    }
    return decoded.changes();
  }
}
