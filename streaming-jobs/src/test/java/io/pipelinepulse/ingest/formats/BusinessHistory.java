package io.pipelinepulse.ingest.formats;

import static io.pipelinepulse.testing.Changes.change;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.util.List;

/**
 * One business history of leads and deals from {@code t0} on: leads answered, late, converted and
 * disqualified; deals advancing, won, slipping and deleted; owners in teams East and West.
 */
final class BusinessHistory {

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;

  private BusinessHistory() {}

  static List<CrmChange> from(long t0) {
    return List.of(
        change(Entity.LEAD, "L1", ChangeType.CREATE, t0, "status", "Open - Not Contacted", "leadSource", "Web",
            "ownerId", "u-east"),
        change(Entity.OPPORTUNITY, "D1", ChangeType.CREATE, t0 + MINUTE, "stage", "Prospecting", "amount", 1000.0,
            "currency", "EUR", "closeDate", "2026-02-15", "probability", 10.0, "ownerId", "u-east"),
        change(Entity.LEAD, "L2", ChangeType.CREATE, t0 + 5 * MINUTE, "status", "Open - Not Contacted",
            "leadSource", "Partner", "ownerId", "u-west"),
        change(Entity.LEAD, "L3", ChangeType.CREATE, t0 + 10 * MINUTE, "status", "Open - Not Contacted",
            "leadSource", "Web", "ownerId", "u-west"),
        change(Entity.LEAD, "L1", ChangeType.UPDATE, t0 + 20 * MINUTE, "status", "Working - Contacted"),
        change(Entity.OPPORTUNITY, "D2", ChangeType.CREATE, t0 + 30 * MINUTE, "stage", "Qualification", "amount", 500.0,
            "closeDate", "2026-01-10", "ownerId", "u-west"),
        change(Entity.OPPORTUNITY, "D3", ChangeType.CREATE, t0 + 40 * MINUTE, "stage", "Needs Analysis",
            "amount", 2500.0, "probability", 40.0, "ownerId", "u-east"),
        change(Entity.OPPORTUNITY, "D1", ChangeType.UPDATE, t0 + HOUR, "stage", "Qualification", "probability", 20.0),
        change(Entity.OPPORTUNITY, "D2", ChangeType.UPDATE, t0 + 90 * MINUTE, "closeDate", "2026-01-31"),
        change(Entity.LEAD, "L1", ChangeType.UPDATE, t0 + 2 * HOUR, "status", "Closed - Converted"),
        change(Entity.OPPORTUNITY, "D2", ChangeType.UPDATE, t0 + 2 * HOUR + MINUTE, "closeDate", "2026-02-28"),
        change(Entity.LEAD, "L2", ChangeType.UPDATE, t0 + 3 * HOUR, "status", "Closed - Not Converted"),
        change(Entity.OPPORTUNITY, "D1", ChangeType.UPDATE, t0 + 3 * HOUR, "stage", "Closed Won"),
        change(Entity.OPPORTUNITY, "D3", ChangeType.UPDATE, t0 + 4 * HOUR, "stage", "Prospecting"),
        change(Entity.OPPORTUNITY, "D2", ChangeType.DELETE, t0 + 5 * HOUR));
  }
}
