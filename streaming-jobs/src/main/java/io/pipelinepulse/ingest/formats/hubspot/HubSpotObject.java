package io.pipelinepulse.ingest.formats.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.config.PulseConfig.HubSpotSettings;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/** The HubSpot objects the KPIs use and how their properties map to canonical fields. */
enum HubSpotObject {
  DEAL("deal", "0-3"),
  CONTACT("contact", "0-1");

  private final String legacyName;
  private final String objectTypeId;

  HubSpotObject(String legacyName, String objectTypeId) {
    this.legacyName = legacyName;
    this.objectTypeId = objectTypeId;
  }

  /** From a v3 {@code object.*} subscription's objectTypeId, or an older {@code deal.*} name. */
  static HubSpotObject of(String subscriptionObject, String objectTypeId) {
    for (HubSpotObject object : values()) {
      if (subscriptionObject.equals("object") ? object.objectTypeId.equals(objectTypeId)
          : object.legacyName.equals(subscriptionObject)) {
        return object;
      }
    }
    return null;
  }

  /** Puts the canonical field of one changed property; properties not mapped are left out. */
  void property(String name, JsonNode value, HubSpotSettings settings, Map<String, Object> fields) {
    String text = value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    if (this == DEAL) {
      switch (name) {
        case "dealstage" -> fields.put(CanonicalFields.STAGE, text);
        case "pipeline" -> fields.put(CanonicalFields.PIPELINE,
            text == null ? null : settings.pipelines().getOrDefault(text, text));
        case "amount" -> fields.put(CanonicalFields.AMOUNT, number(name, text));
        case "closedate" -> fields.put(CanonicalFields.CLOSE_DATE, date(text));
        case "hubspot_owner_id" -> fields.put(CanonicalFields.OWNER_ID, text);
        case "deal_currency_code" -> fields.put(CanonicalFields.CURRENCY, text);
        case "hs_deal_stage_probability" -> fields.put(CanonicalFields.PROBABILITY,
            text == null ? null : number(name, text) * 100);
        case "dealname" -> fields.put(CanonicalFields.NAME, text);
        default -> { }
      }
      return;
    }
    switch (name) {
      case "hs_lead_status" -> fields.put(CanonicalFields.STATUS,
          text == null ? null : settings.leadStatuses().getOrDefault(text, text));
      case "lifecyclestage" -> fields.put(CanonicalFields.CONVERTED,
          text != null && settings.convertedLifecycleStages().contains(text));
      case "hubspot_owner_id" -> fields.put(CanonicalFields.OWNER_ID, text);
      case "hs_analytics_source" -> fields.put(CanonicalFields.LEAD_SOURCE, text);
      case "company" -> fields.put(CanonicalFields.COMPANY, text);
      default -> { }
    }
  }

  private static Double number(String property, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new UndecodableRecordException("invalid-value", property + " '" + text + "' is not a number");
    }
  }

  /** closedate: epoch milliseconds (as HubSpot sends it) or ISO text. */
  private static String date(String text) {
    if (text == null) {
      return null;
    }
    if (text.matches("-?\\d+")) {
      return Instant.ofEpochMilli(Long.parseLong(text)).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
    if (text.length() >= 10 && text.substring(0, 10).matches("\\d{4}-\\d{2}-\\d{2}")) {
      return LocalDate.parse(text.substring(0, 10)).toString();
    }
    throw new UndecodableRecordException("invalid-value", "closedate '" + text + "' is not a date");
  }
}
