package io.pipelinepulse.config;

import io.pipelinepulse.schema.Entity;
import java.io.Serializable;
import java.util.Map;

/**
 * How rows of a CRM kept in a relational database, captured by Debezium, map to canonical
 * changes: by source table, the entity, the primary key column and column → canonical field.
 */
public record DebeziumTables(Map<String, Table> tables) implements Serializable {

  /** One captured table. Columns not listed are ignored. */
  public record Table(Entity entity, String idColumn, Map<String, String> columns) implements Serializable {}

  public Table table(String name) {
    return tables.get(name);
  }
}
