package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.schema.CrmChange;
import java.util.List;

/**
 * What one Kafka record of an input format carries: changes, gap notices for changes the source
 * could not describe (to be counted and reconciled, never dropped), and the parts of the record
 * that could not be read, each refused on its own while the rest of the record goes on.
 */
public record Decoded(List<CrmChange> changes, List<Gap> gaps, List<Refused> refused) {

  /**
   * A part of the record (an event of a delivery) that could not be read.
   *
   * @param reason the dead-letter reason
   * @param value the part itself, dead-lettered in place of the whole record
   */
  public record Refused(String reason, String detail, byte[] value) {}

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
    return new Decoded(List.copyOf(changes), List.of(), List.of());
  }

  public static Decoded none() {
    return new Decoded(List.of(), List.of(), List.of());
  }

  public static Decoded gap(Gap gap) {
    return new Decoded(List.of(), List.of(gap), List.of());
  }

  /** Changes read, beside the parts refused. */
  public static Decoded of(List<CrmChange> changes, List<Refused> refused) {
    return new Decoded(List.copyOf(changes), List.of(), List.copyOf(refused));
  }
}
