package io.pipelinepulse.reference;

import io.pipelinepulse.schema.CrmChange;
import java.util.List;

/**
 * A generated CRM history as the job will receive it.
 *
 * @param changes every distinct valid change, in commit order (what the reference model reads)
 * @param deliveries what is sent to the input topic, in sending order: each change once, some
 *     again (duplicates), and unreadable records in between
 * @param lateChanges changes sent only after the job's clock has passed their commit time
 * @param duplicateDeliveries how many deliveries repeat an earlier change, by entity label
 * @param invalidDeliveries how many deliveries are unreadable
 */
public record GeneratedHistory(
    List<CrmChange> changes,
    List<Delivery> deliveries,
    List<CrmChange> lateChanges,
    java.util.Map<String, Integer> duplicateDeliveries,
    int invalidDeliveries,
    long firstCommitTime,
    long lastCommitTime) {

  /** One Kafka record: a key and either a change or raw bytes that are not a readable change. */
  public record Delivery(String key, CrmChange change, byte[] raw) {}
}
