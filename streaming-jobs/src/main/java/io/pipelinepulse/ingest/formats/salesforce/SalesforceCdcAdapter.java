package io.pipelinepulse.ingest.formats.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.config.PulseConfig.SalesforceSettings;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.ingest.formats.JsonRecords;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Salesforce Change Data Capture events as JSON, in either form: the Pub/Sub API's decoded event
 * (every field present, unchanged ones null; {@code changedFields} and {@code nulledFields} say
 * which count) or the Streaming API / connector event (only the changed fields present, possibly
 * wrapped in {@code data.payload}). One change per record id: a merged event naming several
 * records fans out. GAP_* and GAP_OVERFLOW events become gap notices.
 */
public final class SalesforceCdcAdapter implements InputAdapter {

  public static final String ORIGIN = "salesforce";
  private static final String HEADER = "ChangeEventHeader";

  private final SalesforceSettings settings;

  public SalesforceCdcAdapter(SalesforceSettings settings) {
    this.settings = settings;
  }

  @Override
  public Decoded decode(byte[] key, byte[] value) {
    JsonNode event = event(JsonRecords.read(value, "value"));
    JsonNode header = event.get(HEADER);
    String entityName = header.path("entityName").asText("");
    String changeType = header.path("changeType").asText("");
    List<String> recordIds = new ArrayList<>();
    header.path("recordIds").forEach(id -> recordIds.add(id.asText()));
    long commitTime = commitTime(header.get("commitTimestamp"));
    String transactionKey = header.path("transactionKey").isTextual() ? header.get("transactionKey").asText() : null;
    SalesforceEntity entity = SalesforceEntity.named(entityName);
    if (changeType.startsWith("GAP_")) {
      return Decoded.gap(new Decoded.Gap(entity == null ? "unknown" : entity.label(), entityName, changeType,
          List.copyOf(recordIds), commitTime, transactionKey, ORIGIN));
    }
    if (entity == null) {
      // Account, Contact and the rest say nothing the KPIs use (a lead's conversion is its update)
      return Decoded.none();
    }
    ChangeType type = switch (changeType) {
      case "CREATE" -> ChangeType.CREATE;
      case "UPDATE" -> ChangeType.UPDATE;
      case "DELETE" -> ChangeType.DELETE;
      case "UNDELETE" -> ChangeType.UNDELETE;
      default -> throw new UndecodableRecordException("invalid-value",
          "changeType '" + changeType + "' of " + entityName + " is not a Change Data Capture change type");
    };
    if (recordIds.isEmpty() || recordIds.stream().anyMatch(String::isBlank)) {
      throw new UndecodableRecordException("missing-record-id", entityName + " " + changeType + " event has no recordIds");
    }
    Map<String, Object> fields = type == ChangeType.DELETE ? Map.of()
        : entity.canonical(changedFields(event, header, type), settings);
    long sequence = header.path("sequenceNumber").asLong(0);
    List<CrmChange> changes = new ArrayList<>();
    for (String recordId : recordIds) {
      String position = transactionKey != null ? transactionKey + "/" + sequence
          : entityName + "/" + commitTime + "/" + changeType;
      changes.add(CrmChange.newBuilder()
          .setEventId(ORIGIN + "/" + position + "/" + recordId)
          .setOrigin(ORIGIN)
          .setEntity(entity.entity())
          .setRecordId(recordId)
          .setChangeType(type)
          .setCommitTime(commitTime)
          .setSequence(sequence)
          .setFields(new LinkedHashMap<>(fields))
          .build());
    }
    return Decoded.of(changes);
  }

  /**
   * The Salesforce fields this change sets, with their values. With {@code changedFields} or
   * {@code nulledFields} in the header only those count (a nulled field is set to null); without
   * them every field present does. A creation or undeletion sets its non-null fields.
   */
  private static Map<String, JsonNode> changedFields(JsonNode event, JsonNode header, ChangeType type) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    Set<String> listed = new LinkedHashSet<>();
    header.path("changedFields").forEach(name -> listed.add(topLevel(name.asText())));
    Set<String> nulled = new LinkedHashSet<>();
    header.path("nulledFields").forEach(name -> nulled.add(topLevel(name.asText())));
    boolean byList = type == ChangeType.UPDATE && (!listed.isEmpty() || !nulled.isEmpty());
    for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals(HEADER)) {
        continue;
      }
      if (byList) {
        if (nulled.contains(name)) {
          fields.put(name, com.fasterxml.jackson.databind.node.NullNode.getInstance());
        } else if (listed.contains(name)) {
          fields.put(name, field.getValue());
        }
      } else if (type == ChangeType.UPDATE || !field.getValue().isNull()) {
        fields.put(name, field.getValue());
      }
    }
    if (byList) {
      for (String name : nulled) {
        fields.putIfAbsent(name, com.fasterxml.jackson.databind.node.NullNode.getInstance());
      }
    }
    return fields;
  }

  /** {@code Name.LastName} of a compound field counts as {@code Name}. */
  private static String topLevel(String field) {
    int dot = field.indexOf('.');
    return dot < 0 ? field : field.substring(0, dot);
  }

  /** The event object: the record itself, or its {@code payload} or {@code data.payload}. */
  private static JsonNode event(JsonNode root) {
    for (JsonNode candidate : List.of(root, root.path("payload"), root.path("data").path("payload"))) {
      if (candidate.path(HEADER).isObject()) {
        return candidate;
      }
    }
    throw new UndecodableRecordException("undecodable", "not a Change Data Capture event: no " + HEADER);
  }

  private static long commitTime(JsonNode node) {
    if (node != null && node.canConvertToLong() && node.asLong() > 0) {
      return node.asLong();
    }
    if (node != null && node.isTextual()) {
      try {
        return Instant.parse(node.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw new UndecodableRecordException("missing-commit-time", "the ChangeEventHeader has no commitTimestamp");
  }
}
