package io.pipelinepulse.schema.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical change event as one JSON object, the form users write by hand or export:
 *
 * <pre>{"eventId":"e-1","origin":"crm","entity":"opportunity","recordId":"006A","changeType":"update",
 *  "commitTime":"2026-01-05T10:00:00Z","fields":{"stage":"Qualification","amount":1200.0}}</pre>
 *
 * {@code commitTime} is an ISO-8601 instant or epoch milliseconds. {@code eventId} may be omitted:
 * it is then derived from origin, entity, record, commit time and sequence, so a file loaded twice
 * is recognised as duplicates. {@code origin} defaults to {@code json}.
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CanonicalJson() {}

  /** Parses one line; throws {@link IllegalArgumentException} saying what is wrong. */
  public static CrmChange parse(String line) {
    JsonNode root;
    try {
      root = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    Entity entity = enumValue(Entity.class, root, "entity");
    ChangeType changeType = enumValue(ChangeType.class, root, "changeType");
    String recordId = requiredText(root, "recordId");
    long commitTime = commitTime(root.get("commitTime"));
    long sequence = sequence(root.get("sequence"));
    String origin = root.hasNonNull("origin") ? root.get("origin").asText() : "json";
    Map<String, Object> fields = fields(root.get("fields"));
    String eventId = root.hasNonNull("eventId")
        ? root.get("eventId").asText()
        : origin + ":" + entity.name().toLowerCase(Locale.ROOT) + ":" + recordId + ":" + commitTime + ":" + sequence;
    return CrmChange.newBuilder()
        .setEventId(eventId)
        .setOrigin(origin)
        .setEntity(entity)
        .setRecordId(recordId)
        .setChangeType(changeType)
        .setCommitTime(commitTime)
        .setSequence(sequence)
        .setFields(fields)
        .build();
  }

  /** One JSON line for a change (commit time as ISO-8601). */
  public static String format(CrmChange change) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("eventId", change.getEventId());
    node.put("origin", change.getOrigin());
    node.put("entity", change.getEntity().name().toLowerCase(Locale.ROOT));
    node.put("recordId", change.getRecordId());
    node.put("changeType", change.getChangeType().name().toLowerCase(Locale.ROOT));
    node.put("commitTime", Instant.ofEpochMilli(change.getCommitTime()).toString());
    if (change.getSequence() != 0) {
      node.put("sequence", change.getSequence());
    }
    ObjectNode fields = node.putObject("fields");
    for (Map.Entry<String, Object> field : change.getFields().entrySet()) {
      fields.set(field.getKey(), MAPPER.valueToTree(field.getValue()));
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode root, String name) {
    String text = requiredText(root, name);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " '" + text + "' is not one of "
          + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  private static String requiredText(JsonNode root, String name) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing " + name);
    }
    if (!node.isValueNode()) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    if (node.asText().isBlank()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return node.asText();
  }

  private static long sequence(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber()) {
      throw new IllegalArgumentException("sequence '" + node.asText() + "' is not a whole number");
    }
    return node.asLong();
  }

  private static long commitTime(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing commitTime");
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    try {
      return Instant.parse(node.asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("commitTime '" + node.asText()
          + "' is neither an ISO-8601 instant nor epoch milliseconds");
    }
  }

  private static Map<String, Object> fields(JsonNode node) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return fields;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("fields must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.put(field.getKey(), scalar(field.getKey(), field.getValue()));
    }
    return fields;
  }

  private static Object scalar(String name, JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    throw new IllegalArgumentException("field " + name + " must be a string, number, boolean or null");
  }
}
