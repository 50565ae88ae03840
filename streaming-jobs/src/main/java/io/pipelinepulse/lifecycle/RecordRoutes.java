package io.pipelinepulse.lifecycle;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;

/**
 * Which record lifecycle holds a change: a deal's its own changes and the activities linked to it,
 * a lead's likewise; an activity linked to both goes to both. Users and activities linked to
 * neither belong to no lifecycle.
 */
public final class RecordRoutes {

  private RecordRoutes() {}

  public static boolean ofDeal(CrmChange change) {
    return change.getEntity() == Entity.OPPORTUNITY
        || change.getEntity() == Entity.ACTIVITY && change.getFields().get(CanonicalFields.OPPORTUNITY_ID) != null;
  }

  public static boolean ofLead(CrmChange change) {
    return change.getEntity() == Entity.LEAD
        || change.getEntity() == Entity.ACTIVITY && change.getFields().get(CanonicalFields.LEAD_ID) != null;
  }

  public static boolean ofNoRecord(CrmChange change) {
    return !ofDeal(change) && !ofLead(change);
  }
}
