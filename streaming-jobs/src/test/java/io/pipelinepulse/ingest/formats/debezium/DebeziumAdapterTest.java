package io.pipelinepulse.ingest.formats.debezium;

import static io.pipelinepulse.testing.Changes.fieldsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Debezium change events of the default CRM tables (fixtures under fixtures/debezium, written in
 * the shapes Debezium's PostgreSQL and MySQL connectors produce), with and without the schema.
 */
class DebeziumAdapterTest {

  private final DebeziumAdapter adapter = new DebeziumAdapter(PulseConfigLoader.defaults().debezium());

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = DebeziumAdapterTest.class.getResourceAsStream("/fixtures/debezium/" + name)) {
      return in.readAllBytes();
    }
  }

  private CrmChange only(String fixture) throws IOException {
    List<CrmChange> changes = adapter.decode(null, fixture(fixture)).changes();
    assertThat(changes).hasSize(1);
    return changes.get(0);
  }

  @Test
  void createWithTheSchemaEmbeddedReadsDecimalsAndDatesByTheirLogicalTypes() throws IOException {
    CrmChange change = only("opportunity-create-with-schema.json");
    assertThat(change.getEntity()).isEqualTo(Entity.OPPORTUNITY);
    assertThat(change.getChangeType()).isEqualTo(ChangeType.CREATE);
    assertThat(change.getRecordId()).isEqualTo("opp-100");
    assertThat(change.getCommitTime()).isEqualTo(1767225600000L);
    assertThat(change.getSequence()).isEqualTo(24023128L);
    assertThat(change.getOrigin()).isEqualTo("debezium");
    assertThat(fieldsOf(change)).containsOnly(
        Map.entry("stage", "Prospecting"), Map.entry("amount", 1234.5), Map.entry("currency", "EUR"),
        Map.entry("closeDate", "2026-03-31"), Map.entry("probability", 10.0), Map.entry("ownerId", "u-east"));
  }

  @Test
  void updateWithBeforeCarriesOnlyTheMappedColumnsThatChanged() throws IOException {
    CrmChange change = only("opportunity-update-without-schema.json");
    assertThat(change.getChangeType()).isEqualTo(ChangeType.UPDATE);
    assertThat(fieldsOf(change)).containsOnly(Map.entry("stage", "Qualification"), Map.entry("probability", 25.0));
  }

  @Test
  void updateWithoutBeforeCarriesEveryMappedColumnAsText() throws IOException {
    CrmChange change = only("opportunity-update-no-before.json");
    assertThat(fieldsOf(change)).containsOnly(
        Map.entry("stage", "Needs Analysis"), Map.entry("amount", 2500.0), Map.entry("currency", "EUR"),
        Map.entry("closeDate", "2026-04-30"), Map.entry("probability", 40.0), Map.entry("ownerId", "u-east"));
  }

  @Test
  void deleteNamesTheRecordFromBefore() throws IOException {
    CrmChange change = only("lead-delete.json");
    assertThat(change.getEntity()).isEqualTo(Entity.LEAD);
    assertThat(change.getChangeType()).isEqualTo(ChangeType.DELETE);
    assertThat(change.getRecordId()).isEqualTo("lead-7");
    assertThat(change.getFields()).isEmpty();
  }

  @Test
  void aDeleteWhoseRowLacksTheIdTakesItFromTheRecordKey() {
    String value = "{\"before\": {\"status\": \"Open\"}, \"after\": null, \"op\": \"d\", \"source\": {\"ts_ms\": 1767236400000,"
        + " \"table\": \"leads\", \"lsn\": 1}}";
    byte[] key = "{\"schema\": {\"type\": \"struct\"}, \"payload\": {\"id\": \"lead-9\"}}".getBytes(StandardCharsets.UTF_8);
    assertThat(adapter.decode(key, value.getBytes(StandardCharsets.UTF_8)).changes().get(0).getRecordId()).isEqualTo("lead-9");
  }

  @Test
  void aMysqlSnapshotReadIsACreationWithNumericIdsAsTextAndTinyintFlags() throws IOException {
    CrmChange change = only("user-snapshot-mysql.json");
    assertThat(change.getEntity()).isEqualTo(Entity.USER);
    assertThat(change.getChangeType()).isEqualTo(ChangeType.CREATE);
    assertThat(change.getRecordId()).isEqualTo("42");
    assertThat(fieldsOf(change)).containsOnly(Map.entry("team", "Central"), Map.entry("managerId", "7"),
        Map.entry("email", "ana@example.com"), Map.entry("active", true), Map.entry("name", "Ana Central"));
    assertThat(change.getSequence()).isEqualTo(1540_000L);
  }

  @Test
  void aRedeliveredEventHasTheSameEventIdAndAnotherChangeAnother() throws IOException {
    String first = only("opportunity-update-without-schema.json").getEventId();
    assertThat(only("opportunity-update-without-schema.json").getEventId()).isEqualTo(first);
    assertThat(only("opportunity-update-no-before.json").getEventId()).isNotEqualTo(first);
    assertThat(only("user-snapshot-mysql.json").getEventId()).isEqualTo("debezium/users/42/r/binlog.000003:1540:0");
  }

  @Test
  void tombstonesCarryNoChange() {
    assertThat(adapter.decode("{\"id\": \"lead-7\"}".getBytes(StandardCharsets.UTF_8), null).changes()).isEmpty();
    assertThat(adapter.decode(null, new byte[0]).changes()).isEmpty();
    assertThat(adapter.decode(null, "null".getBytes(StandardCharsets.UTF_8)).changes()).isEmpty();
  }

  @Test
  void whatCannotBeReadIsRefusedWithTheReason() {
    assertThat(reason("unmapped-table.json")).isEqualTo("unmapped-table");
    assertThat(reason("truncate.json")).isEqualTo("unsupported-operation");
    assertThat(reason("missing-commit-time.json")).isEqualTo("missing-commit-time");
    assertThat(reason("bad-amount.json")).isEqualTo("invalid-value");
    assertThatThrownBy(() -> adapter.decode(null, "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> adapter.decode(null, "{\"after\": {\"id\": \"x\"}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(UndecodableRecordException.class, e -> assertThat(e.reason()).isEqualTo("undecodable"));
  }

  private String reason(String fixture) {
    try {
      adapter.decode(null, fixture(fixture));
    } catch (UndecodableRecordException e) {
      return e.reason();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return "(accepted)";
  }

  @Test
  void tablesAndColumnsComeFromTheConfiguration() {
    DebeziumAdapter custom = new DebeziumAdapter(PulseConfigLoader.fromYaml("""
        debezium:
          tables:
            crm_deal:
              entity: opportunity
              id: deal_no
              columns:
                phase: stage
                value_usd: amount
        """).debezium());
    String value = "{\"after\": {\"deal_no\": 7, \"phase\": \"Qualification\", \"value_usd\": 900, \"stage\": \"ignored\"},"
        + " \"op\": \"c\", \"source\": {\"ts_ms\": 1767236400000, \"table\": \"crm_deal\", \"lsn\": 5}}";
    CrmChange change = custom.decode(null, value.getBytes(StandardCharsets.UTF_8)).changes().get(0);
    assertThat(change.getRecordId()).isEqualTo("7");
    assertThat(fieldsOf(change)).containsOnly(Map.entry("stage", "Qualification"), Map.entry("amount", 900.0));
  }
}
