package io.pipelinepulse.ingest.formats.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.config.DebeziumTables;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.ingest.formats.InputAdapter;
import io.pipelinepulse.ingest.formats.JsonRecords;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Debezium's JSON change events of the CRM's tables (PostgreSQL, MySQL), with the schema embedded
 * ({@code {"schema": ..., "payload": envelope}}) or without (the envelope alone). The envelope's
 * {@code op} gives the change: {@code c} create, {@code r} a snapshot read (a create at the
 * snapshot's time), {@code u} update (only the mapped columns that changed, when {@code before}
 * is there to compare), {@code d} delete. Tombstones carry no change.
 */
public final class DebeziumAdapter implements InputAdapter {

  public static final String ORIGIN = "debezium";

  private final DebeziumTables tables;

  public DebeziumAdapter(DebeziumTables tables) {
    this.tables = tables;
  }

  @Override
  public Decoded decode(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      return Decoded.none();
    }
    JsonNode root = JsonRecords.read(value, "value");
    if (root.isNull()) {
      return Decoded.none();
    }
    boolean withSchema = root.has("schema") && root.has("payload");
    JsonNode envelope = withSchema ? root.get("payload") : root;
    if (envelope.isNull()) {
      return Decoded.none();
    }
    ColumnTypes types = withSchema ? ColumnTypes.of(root.get("schema")) : ColumnTypes.NONE;
    String op = envelope.path("op").asText("");
    JsonNode source = envelope.path("source");
    String tableName = source.path("table").asText("");
    DebeziumTables.Table table = tables.table(tableName);
    if (!envelope.has("op") || !source.isObject()) {
      throw new UndecodableRecordException("undecodable", "not a Debezium change event: no op or source");
    }
    if (table == null) {
      throw new UndecodableRecordException("unmapped-table",
          "table '" + tableName + "' is not under debezium.tables in the configuration");
    }
    if (!source.path("ts_ms").canConvertToLong() || source.path("ts_ms").asLong() <= 0) {
      throw new UndecodableRecordException("missing-commit-time", "source.ts_ms of table " + tableName + " is missing");
    }
    JsonNode before = envelope.path("before");
    JsonNode after = envelope.path("after");
    ChangeType type = switch (op) {
      case "c", "r" -> ChangeType.CREATE;
      case "u" -> ChangeType.UPDATE;
      case "d" -> ChangeType.DELETE;
      default -> throw new UndecodableRecordException("unsupported-operation",
          "operation '" + op + "' of table " + tableName + " (truncate or message) names no record");
    };
    JsonNode row = type == ChangeType.DELETE ? before : after;
    String recordId = recordId(table, row, key);
    Map<String, Object> fields = new LinkedHashMap<>();
    if (type != ChangeType.DELETE) {
      boolean compare = type == ChangeType.UPDATE && before.isObject();
      for (Map.Entry<String, String> column : table.columns().entrySet()) {
        if (!after.has(column.getKey())) {
          continue;
        }
        Object now = ColumnValues.convert(column.getValue(), after.get(column.getKey()), types.of(column.getKey()));
        if (compare && before.has(column.getKey()) && Objects.equals(now,
            ColumnValues.convert(column.getValue(), before.get(column.getKey()), types.of(column.getKey())))) {
          continue;
        }
        fields.put(column.getValue(), now);
      }
    }
    String position = position(source);
    return Decoded.of(List.of(CrmChange.newBuilder()
        .setEventId(ORIGIN + "/" + tableName + "/" + recordId + "/" + op + "/" + position)
        .setOrigin(ORIGIN)
        .setEntity(table.entity())
        .setRecordId(recordId)
        .setChangeType(type)
        .setCommitTime(source.get("ts_ms").asLong())
        .setSequence(sequence(source))
        .setFields(fields)
        .build()));
  }

  /** The row's primary key; from the record key when the row does not carry it. */
  private String recordId(DebeziumTables.Table table, JsonNode row, byte[] key) {
    JsonNode id = row.path(table.idColumn());
    if ((id.isMissingNode() || id.isNull()) && key != null && key.length > 0) {
      JsonNode keyNode = JsonRecords.read(key, "key");
      JsonNode keyFields = keyNode.has("payload") ? keyNode.get("payload") : keyNode;
      id = keyFields.path(table.idColumn());
    }
    if (id.isMissingNode() || id.isNull() || id.asText().isBlank()) {
      throw new UndecodableRecordException("missing-record-id",
          "no value in id column '" + table.idColumn() + "' (debezium.tables." + table.entity().name().toLowerCase()
              + ")");
    }
    return id.asText();
  }

  /** Where the change sits in the database's log: the same for a redelivered event. */
  private static String position(JsonNode source) {
    if (source.has("lsn") && !source.get("lsn").isNull()) {
      return "lsn" + source.get("lsn").asText();
    }
    if (source.has("file") && source.has("pos")) {
      return source.get("file").asText() + ":" + source.get("pos").asText() + ":" + source.path("row").asText("0");
    }
    return "ts" + source.get("ts_ms").asText();
  }

  private static long sequence(JsonNode source) {
    if (source.path("lsn").canConvertToLong()) {
      return source.get("lsn").asLong();
    }
    if (source.path("pos").canConvertToLong()) {
      return source.get("pos").asLong() * 1000 + source.path("row").asLong(0);
    }
    return 0;
  }
}
