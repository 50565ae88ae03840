package io.pipelinepulse.ingest.formats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes canonical changes of leads and opportunities the way each source would have sent them:
 * Debezium row events, Salesforce Change Data Capture events, HubSpot webhook deliveries. The
 * names below are each source's own, mapped back from the canonical field names.
 */
final class FormatRenderer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Map<String, String> DEBEZIUM_COLUMNS = Map.ofEntries(
      Map.entry("stage", "stage"), Map.entry("amount", "amount"), Map.entry("currency", "currency"),
      Map.entry("closeDate", "close_date"), Map.entry("probability", "probability"), Map.entry("ownerId", "owner_id"),
      Map.entry("leadSource", "lead_source"), Map.entry("status", "status"), Map.entry("converted", "is_converted"));
  private static final Map<String, String> SALESFORCE_FIELDS = Map.ofEntries(
      Map.entry("stage", "StageName"), Map.entry("amount", "Amount"), Map.entry("currency", "CurrencyIsoCode"),
      Map.entry("closeDate", "CloseDate"), Map.entry("probability", "Probability"), Map.entry("ownerId", "OwnerId"),
      Map.entry("leadSource", "LeadSource"), Map.entry("status", "Status"), Map.entry("converted", "IsConverted"));
  private static final Map<String, String> HUBSPOT_DEAL_PROPERTIES = Map.of(
      "stage", "dealstage", "amount", "amount", "currency", "deal_currency_code", "closeDate", "closedate",
      "probability", "hs_deal_stage_probability", "ownerId", "hubspot_owner_id");
  private static final Map<String, String> HUBSPOT_CONTACT_PROPERTIES = Map.of(
      "status", "hs_lead_status", "ownerId", "hubspot_owner_id", "leadSource", "hs_analytics_source",
      "converted", "lifecyclestage");
  /** The hs_lead_status value the default hubspot.lead-statuses maps to each status. */
  private static final Map<String, String> HUBSPOT_LEAD_STATUSES = Map.of(
      "Open - Not Contacted", "NEW", "Working - Contacted", "ATTEMPTED_TO_CONTACT",
      "Closed - Converted", "OPEN_DEAL", "Closed - Not Converted", "UNQUALIFIED");

  private FormatRenderer() {}

  /** One Debezium event (without the schema) per change, rows kept to fill {@code before}. */
  static List<byte[]> debezium(List<CrmChange> changes) throws Exception {
    Map<String, ObjectNode> rows = new HashMap<>();
    List<byte[]> records = new ArrayList<>();
    long lsn = 1000;
    for (CrmChange change : changes) {
      String id = change.getRecordId().toString();
      ObjectNode before = rows.get(id);
      ObjectNode after = before == null ? NODES.objectNode().put("id", id) : before.deepCopy();
      change.getFields().forEach((field, value) -> put(after, DEBEZIUM_COLUMNS.get(field.toString()), value));
      ObjectNode event = NODES.objectNode();
      event.set("before", before == null ? NODES.nullNode() : before);
      event.set("after", change.getChangeType() == ChangeType.DELETE ? NODES.nullNode() : after);
      event.put("op", switch (change.getChangeType()) {
        case CREATE, UNDELETE -> "c";
        case UPDATE -> "u";
        case DELETE -> "d";
      });
      event.putObject("source").put("connector", "postgresql").put("table", table(change.getEntity()))
          .put("ts_ms", change.getCommitTime()).put("lsn", lsn += 8);
      rows.put(id, after);
      records.add(bytes(event));
    }
    return records;
  }

  /** One Pub/Sub API decoded event per change: every known field present, the changed ones listed. */
  static List<byte[]> salesforce(List<CrmChange> changes) throws Exception {
    List<byte[]> records = new ArrayList<>();
    int transaction = 0;
    for (CrmChange change : changes) {
      ObjectNode event = NODES.objectNode();
      ObjectNode header = event.putObject("ChangeEventHeader");
      header.put("entityName", change.getEntity() == Entity.LEAD ? "Lead" : "Opportunity");
      header.putArray("recordIds").add(change.getRecordId().toString());
      header.put("changeType", change.getChangeType().name());
      header.put("transactionKey", "tx-" + ++transaction).put("sequenceNumber", 1)
          .put("commitTimestamp", change.getCommitTime());
      ArrayNode changed = header.putArray("changedFields");
      header.putArray("nulledFields");
      for (String field : SALESFORCE_FIELDS.values()) {
        event.putNull(field);
      }
      change.getFields().forEach((field, value) -> {
        String name = SALESFORCE_FIELDS.get(field.toString());
        put(event, name, value);
        if (change.getChangeType() == ChangeType.UPDATE) {
          changed.add(name);
        }
      });
      records.add(bytes(event));
    }
    return records;
  }

  /** One delivery per change: a creation (or deletion) event and one event per property. */
  static List<byte[]> hubspot(List<CrmChange> changes) throws Exception {
    List<byte[]> records = new ArrayList<>();
    long eventId = 500;
    for (CrmChange change : changes) {
      boolean deal = change.getEntity() == Entity.OPPORTUNITY;
      String object = deal ? "deal" : "contact";
      ArrayNode delivery = NODES.arrayNode();
      if (change.getChangeType() != ChangeType.UPDATE) {
        String action = change.getChangeType() == ChangeType.DELETE ? "deletion" : "creation";
        hubspotEvent(delivery, ++eventId, object + "." + action, change);
      }
      for (Map.Entry<String, Object> field : change.getFields().entrySet()) {
        String name = field.getKey().toString();
        String property = (deal ? HUBSPOT_DEAL_PROPERTIES : HUBSPOT_CONTACT_PROPERTIES).get(name);
        hubspotEvent(delivery, ++eventId, object + ".propertyChange", change)
            .put("propertyName", property).put("propertyValue", hubspotValue(name, field.getValue()));
      }
      records.add(JSON.writeValueAsBytes(delivery));
    }
    return records;
  }

  private static ObjectNode hubspotEvent(ArrayNode delivery, long eventId, String subscription, CrmChange change) {
    return delivery.addObject().put("eventId", eventId).put("portalId", 62).put("occurredAt", change.getCommitTime())
        .put("subscriptionType", subscription).put("attemptNumber", 0).put("objectId", change.getRecordId().toString());
  }

  /** HubSpot sends every value as text: numbers plainly, dates as epoch milliseconds. */
  private static String hubspotValue(String field, Object value) {
    if (value == null) {
      return "";
    }
    return switch (field) {
      case "closeDate" -> Long.toString(LocalDate.parse(value.toString()).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      case "probability" -> Double.toString(((Number) value).doubleValue() / 100);
      case "status" -> HUBSPOT_LEAD_STATUSES.get(value.toString());
      case "converted" -> Boolean.TRUE.equals(value) ? "opportunity" : "lead";
      default -> value.toString();
    };
  }

  private static String table(Entity entity) {
    return entity == Entity.LEAD ? "leads" : "opportunities";
  }

  private static void put(ObjectNode node, String name, Object value) {
    if (value == null) {
      node.putNull(name);
    } else if (value instanceof Number number) {
      node.put(name, number.doubleValue());
    } else if (value instanceof Boolean flag) {
      node.put(name, flag);
    } else {
      node.put(name, value.toString());
    }
  }

  private static byte[] bytes(ObjectNode node) throws Exception {
    return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Object> fields(Object... pairs) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put((String) pairs[i], pairs[i + 1]);
    }
    return fields;
  }
}
