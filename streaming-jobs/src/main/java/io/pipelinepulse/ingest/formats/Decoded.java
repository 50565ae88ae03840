package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.schema.CrmChange;
import java.util.List;

/**
 * What one Kafka record of an input format carries: changes, and gap notices for changes the
 * source could not describe (to be counted and reconciled, never dropped).
 */
public record Decoded(List<CrmChange> changes, List<Gap> gaps) {

  /**
   * A change the source could not describe.
   *
   * @param entityLabel the canonical entity it is counted under (lead, opportunity, ...; unknown)
   * @param sourceEntity the source's entity name, e.g. Opportunity
   * @param recordIds the records to fetch again; empty for the whole entity
   */
  public record Gap(String entityLabel, String sourceEntity, String gapType, List<String> recordIds, long commitTime,
      String transactionKey, String origin) {}

  public static Decoded of(List<CrmChange> changes) {
    return new Decoded(List.copyOf(changes), List.of());
  }

  public static Decoded none() {
    return new Decoded(List.of(), List.of());
  }

  public static Decoded gap(Gap gap) {
    return new Decoded(List.of(), List.of(gap));
  }
}
