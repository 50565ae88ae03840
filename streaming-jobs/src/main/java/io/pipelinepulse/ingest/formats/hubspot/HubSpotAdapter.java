package io.pipelinepulse.ingest.formats.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pipelinepulse.config.PulseConfig.HubSpotSettings;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.ingest.formats.JsonRecords;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HubSpot webhook deliveries (v3): a JSON array of events, each about one object and at most one
 * property. Deals become opportunity changes, contacts lead changes; other objects are skipped.
 * Deliveries come unordered and repeated: each event's time is {@code occurredAt}, and its identity
 * is the object, subscription, property, time and {@code eventId} together ({@code eventId} alone
 * is not unique), so a retried delivery counts once.
 */
public final class HubSpotAdapter implements InputAdapter {

  public static final String ORIGIN = "hubspot";
  /** The id of HubSpot's default deal pipeline. */
  static final String DEFAULT_PIPELINE = "default";

  private final HubSpotSettings settings;

  public HubSpotAdapter(HubSpotSettings settings) {
    this.settings = settings;
  }

  @Override
  public Decoded decode(byte[] key, byte[] value) {
    JsonNode root = JsonRecords.read(value, "value");
    List<JsonNode> events = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(events::add);
    } else if (root.isObject()) {
      events.add(root);
    } else {
      throw new UndecodableRecordException("undecodable", "a HubSpot delivery is a JSON array of events");
    }
    // Each event stands on its own: one that cannot be read is refused, the others go on.
    List<CrmChange> changes = new ArrayList<>();
    List<Decoded.Refused> refused = new ArrayList<>();
    for (JsonNode event : events) {
      try {
        CrmChange change = change(event);
        if (change != null) {
          changes.add(change);
        }
      } catch (UndecodableRecordException e) {
        byte[] raw = event.toString().getBytes(StandardCharsets.UTF_8);
        refused.add(new Decoded.Refused(e.reason(), e.getMessage(), raw));
      }
    }
    return Decoded.of(changes, refused);
  }

  /** The change one event makes, or null for an object the KPIs do not use. */
  private CrmChange change(JsonNode event) {
    String subscription = event.path("subscriptionType").asText("");
    int dot = subscription.indexOf('.');
    if (dot < 0) {
      throw new UndecodableRecordException("undecodable", "event without a subscriptionType: " + event);
    }
    HubSpotObject object = HubSpotObject.of(subscription.substring(0, dot), event.path("objectTypeId").asText(""));
    if (object == null) {
      return null;
    }
    String action = subscription.substring(dot + 1);
    ChangeType type;
    long sequence;
    switch (action) {
      case "creation" -> { type = ChangeType.CREATE; sequence = 0; }
      case "restore" -> { type = ChangeType.UNDELETE; sequence = 1; }
      case "propertyChange" -> { type = ChangeType.UPDATE; sequence = 2; }
      case "deletion" -> { type = ChangeType.DELETE; sequence = 3; }
      default -> {
        return null; // merges, association and privacy deletions say nothing the KPIs use
      }
    }
    if (!event.path("objectId").canConvertToLong() && event.path("objectId").asText("").isBlank()) {
      throw new UndecodableRecordException("missing-record-id", subscription + " event has no objectId");
    }
    if (!event.path("occurredAt").canConvertToLong() || event.path("occurredAt").asLong() <= 0) {
      throw new UndecodableRecordException("missing-commit-time", subscription + " event has no occurredAt");
    }
    String recordId = event.get("objectId").asText();
    long occurredAt = event.get("occurredAt").asLong();
    Map<String, Object> fields = new HashMap<>();
    String property = event.path("propertyName").asText("");
    if (type == ChangeType.UPDATE) {
      object.property(property, event.get("propertyValue"), settings, fields);
    } else if (type == ChangeType.CREATE && object == HubSpotObject.DEAL) {
      // A deal is in HubSpot's default pipeline until a pipeline change says otherwise.
      object.property("pipeline", TextNode.valueOf(DEFAULT_PIPELINE), settings, fields);
    }
    return CrmChange.newBuilder()
        .setEventId(String.join("/", ORIGIN, event.path("portalId").asText(""), subscription, recordId, property,
            Long.toString(occurredAt), event.path("eventId").asText("")))
        .setOrigin(ORIGIN)
        .setEntity(object == HubSpotObject.DEAL ? Entity.OPPORTUNITY : Entity.LEAD)
        .setRecordId(recordId)
        .setChangeType(type)
        .setCommitTime(occurredAt)
        .setSequence(sequence)
        .setFields(fields)
        .build();
  }
}
