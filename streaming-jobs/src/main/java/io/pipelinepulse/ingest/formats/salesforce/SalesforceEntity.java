package io.pipelinepulse.ingest.formats.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.config.PulseConfig.SalesforceSettings;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The Salesforce objects the KPIs use, and how their fields map to canonical fields. */
enum SalesforceEntity {
  LEAD("Lead", Entity.LEAD, Map.of(
      "Status", CanonicalFields.STATUS, "IsConverted", CanonicalFields.CONVERTED,
      "ConvertedOpportunityId", CanonicalFields.CONVERTED_OPPORTUNITY_ID, "LeadSource", CanonicalFields.LEAD_SOURCE,
      "OwnerId", CanonicalFields.OWNER_ID, "Name", CanonicalFields.NAME, "Company", CanonicalFields.COMPANY)),
  OPPORTUNITY("Opportunity", Entity.OPPORTUNITY, Map.of(
      "StageName", CanonicalFields.STAGE, "Amount", CanonicalFields.AMOUNT, "CurrencyIsoCode", CanonicalFields.CURRENCY,
      "CloseDate", CanonicalFields.CLOSE_DATE, "Probability", CanonicalFields.PROBABILITY,
      "OwnerId", CanonicalFields.OWNER_ID, "LeadSource", CanonicalFields.LEAD_SOURCE, "Name", CanonicalFields.NAME)),
  TASK("Task", Entity.ACTIVITY, Map.of("OwnerId", CanonicalFields.OWNER_ID)),
  EVENT("Event", Entity.ACTIVITY, Map.of("OwnerId", CanonicalFields.OWNER_ID)),
  USER("User", Entity.USER, Map.of(
      "ManagerId", CanonicalFields.MANAGER_ID, "Email", CanonicalFields.EMAIL, "IsActive", CanonicalFields.ACTIVE,
      "Name", CanonicalFields.NAME));

  /** Key prefixes of Salesforce ids: what a task's WhoId or WhatId points at. */
  private static final String LEAD_PREFIX = "00Q";
  private static final String OPPORTUNITY_PREFIX = "006";

  private final String sourceName;
  private final Entity entity;
  private final Map<String, String> fields;

  SalesforceEntity(String sourceName, Entity entity, Map<String, String> fields) {
    this.sourceName = sourceName;
    this.entity = entity;
    this.fields = fields;
  }

  static SalesforceEntity named(String entityName) {
    for (SalesforceEntity candidate : values()) {
      if (candidate.sourceName.equals(entityName)) {
        return candidate;
      }
    }
    return null;
  }

  Entity entity() {
    return entity;
  }

  String label() {
    return entity.name().toLowerCase(Locale.ROOT);
  }

  /** The canonical fields of the Salesforce fields a change sets. */
  Map<String, Object> canonical(Map<String, JsonNode> changed, SalesforceSettings settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    changed.forEach((name, value) -> {
      String field = fields.get(name);
      if (field != null) {
        out.put(field, convert(field, value));
      }
    });
    switch (this) {
      case USER -> {
        if (changed.containsKey(settings.userTeamField())) {
          out.put(CanonicalFields.TEAM, text(changed.get(settings.userTeamField())));
        }
      }
      case TASK, EVENT -> activity(changed, out);
      default -> { }
    }
    return out;
  }

  /** A task's or event's kind and what it is about: a lead (WhoId) or an opportunity (WhatId). */
  private void activity(Map<String, JsonNode> changed, Map<String, Object> out) {
    if (this == EVENT) {
      out.put(CanonicalFields.ACTIVITY_TYPE, "meeting");
    } else {
      JsonNode subtype = changed.get("TaskSubtype");
      out.put(CanonicalFields.ACTIVITY_TYPE,
          subtype == null || subtype.isNull() ? "task" : subtype.asText().toLowerCase(Locale.ROOT));
    }
    String who = text(changed.get("WhoId"));
    if (who != null && who.startsWith(LEAD_PREFIX)) {
      out.put(CanonicalFields.LEAD_ID, who);
    }
    String what = text(changed.get("WhatId"));
    if (what != null && what.startsWith(OPPORTUNITY_PREFIX)) {
      out.put(CanonicalFields.OPPORTUNITY_ID, what);
    }
  }

  private static Object convert(String field, JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return switch (field) {
      case CanonicalFields.AMOUNT, CanonicalFields.PROBABILITY -> number(field, value);
      case CanonicalFields.CONVERTED, CanonicalFields.ACTIVE -> value.isBoolean() ? value.asBoolean()
          : Boolean.parseBoolean(value.asText());
      case CanonicalFields.CLOSE_DATE -> date(value);
      case CanonicalFields.NAME -> name(value);
      default -> text(value);
    };
  }

  private static double number(String field, JsonNode value) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    try {
      return Double.parseDouble(value.asText().trim());
    } catch (NumberFormatException e) {
      throw new UndecodableRecordException("invalid-value", field + " '" + value.asText() + "' is not a number");
    }
  }

  /** CloseDate: ISO text (Streaming API), or days since 1970 or epoch milliseconds (Pub/Sub API). */
  private static String date(JsonNode value) {
    if (value.isIntegralNumber()) {
      long number = value.asLong();
      return Math.abs(number) < 1_000_000 ? LocalDate.ofEpochDay(number).toString()
          : Instant.ofEpochMilli(number).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
    String text = value.asText().trim();
    if (text.length() >= 10 && text.substring(0, 10).matches("\\d{4}-\\d{2}-\\d{2}")) {
      return text.substring(0, 10);
    }
    throw new UndecodableRecordException("invalid-value", "CloseDate '" + text + "' is not a date");
  }

  /** A compound name (FirstName, LastName, ...) as one text. */
  private static String name(JsonNode value) {
    if (!value.isObject()) {
      return value.asText();
    }
    StringBuilder name = new StringBuilder();
    for (String part : new String[] {"Salutation", "FirstName", "MiddleName", "LastName", "Suffix"}) {
      if (value.hasNonNull(part)) {
        name.append(name.length() == 0 ? "" : " ").append(value.get(part).asText());
      }
    }
    return name.toString();
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? null : value.asText();
  }
}
