package io.pipelinepulse.localstack.load;

import io.pipelinepulse.schema.CrmChange;
import java.util.List;

/**
 * One input format of change files (JSON lines). A line may hold several changes (a merged
 * Salesforce CDC event names several records, a HubSpot delivery is an array) or none (a Debezium
 * tombstone), hence the list.
 */
public interface ChangeFileFormat {

  /** The name given to {@code --format}. */
  String name();

  /** One line for the usage text. */
  String description();

  /** The changes of one non-blank, non-comment line, as canonical events. */
  List<CrmChange> parse(String line) throws RejectedLineException;
}
