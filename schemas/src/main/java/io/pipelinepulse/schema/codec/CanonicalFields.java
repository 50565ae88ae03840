package io.pipelinepulse.schema.codec;

/**
 * Names of the keys of {@code CrmChange.fields}, per entity. Adapters of every input format map
 * their source fields to these names.
 */
public final class CanonicalFields {

  private CanonicalFields() {}

  /** Opportunity: stage name as the source spells it (string). */
  public static final String STAGE = "stage";
  /** Opportunity: pipeline id (string); absent means the configured default pipeline. */
  public static final String PIPELINE = "pipeline";
  /** Opportunity: amount in {@link #CURRENCY} (double, not negative). */
  public static final String AMOUNT = "amount";
  /** Opportunity: ISO-4217 currency code of the amount (string); absent means the reporting currency. */
  public static final String CURRENCY = "currency";
  /** Opportunity: expected close date, ISO-8601 date {@code yyyy-MM-dd} (string). */
  public static final String CLOSE_DATE = "closeDate";
  /** Opportunity: probability in percent, 0 to 100 (double). */
  public static final String PROBABILITY = "probability";
  /** Opportunity, lead, activity: owning user id (string). */
  public static final String OWNER_ID = "ownerId";
  /** Opportunity, lead: lead source, e.g. Web, Partner Referral (string). */
  public static final String LEAD_SOURCE = "leadSource";
  /** Record display name (string); never used as a metric label. */
  public static final String NAME = "name";
  /** Lead: the company the lead is from (string); never used as a metric label. */
  public static final String COMPANY = "company";

  /** Lead: status as the source spells it (string). */
  public static final String STATUS = "status";
  /** Lead: converted flag (boolean). */
  public static final String CONVERTED = "converted";
  /** Lead: id of the opportunity created by conversion (string). */
  public static final String CONVERTED_OPPORTUNITY_ID = "convertedOpportunityId";

  /** Activity: call, email, meeting or task (string). */
  public static final String ACTIVITY_TYPE = "type";
  /** Activity: the lead it is linked to (string). */
  public static final String LEAD_ID = "leadId";
  /** Activity: the opportunity it is linked to (string). */
  public static final String OPPORTUNITY_ID = "opportunityId";

  /** User: team name (string). */
  public static final String TEAM = "team";
  /** User: the user's manager's user id (string). */
  public static final String MANAGER_ID = "managerId";
  /** User: e-mail address (string); never used as a metric label. */
  public static final String EMAIL = "email";
  /** User: active flag (boolean). */
  public static final String ACTIVE = "active";
}
