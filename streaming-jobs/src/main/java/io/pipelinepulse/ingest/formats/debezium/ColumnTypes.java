package io.pipelinepulse.ingest.formats.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka Connect types of a table's columns, from the schema Debezium embeds: the logical
 * name (e.g. {@code org.apache.kafka.connect.data.Decimal}, {@code io.debezium.time.Date}) and
 * its parameters (a decimal's scale) tell how to read a value.
 */
record ColumnTypes(Map<String, JsonNode> columns) {

  static final ColumnTypes NONE = new ColumnTypes(Map.of());

  static ColumnTypes of(JsonNode schema) {
    Map<String, JsonNode> columns = new HashMap<>();
    for (JsonNode envelopeField : schema.path("fields")) {
      String name = envelopeField.path("field").asText();
      if (name.equals("after") || name.equals("before")) {
        for (JsonNode column : envelopeField.path("fields")) {
          columns.putIfAbsent(column.path("field").asText(), column);
        }
      }
    }
    return new ColumnTypes(columns);
  }

  /** The column's schema, or a missing node when there is none. */
  JsonNode of(String column) {
    JsonNode type = columns.get(column);
    return type == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : type;
  }
}
