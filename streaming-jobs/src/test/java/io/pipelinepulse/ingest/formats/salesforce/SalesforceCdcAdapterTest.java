package io.pipelinepulse.ingest.formats.salesforce;

import static io.pipelinepulse.testing.Changes.fieldsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Salesforce Change Data Capture events (fixtures under fixtures/salesforce, written in the
 * shapes of the Pub/Sub API's decoded events and of Streaming API / connector events).
 */
class SalesforceCdcAdapterTest {

  private final SalesforceCdcAdapter adapter = new SalesforceCdcAdapter(PulseConfigLoader.defaults().salesforce());

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = SalesforceCdcAdapterTest.class.getResourceAsStream("/fixtures/salesforce/" + name)) {
      return in.readAllBytes();
    }
  }

  private Decoded decode(String fixture) throws IOException {
    return adapter.decode(null, fixture(fixture));
  }

  private CrmChange only(String fixture) throws IOException {
    Decoded decoded = decode(fixture);
    assertThat(decoded.gaps()).isEmpty();
    assertThat(decoded.changes()).hasSize(1);
    return decoded.changes().get(0);
  }

  @Test
  void aDecodedCreationSetsItsNonNullFields() throws IOException {
    CrmChange change = only("pubsub-opportunity-create.json");
    assertThat(change.getEntity()).isEqualTo(Entity.OPPORTUNITY);
    assertThat(change.getChangeType()).isEqualTo(ChangeType.CREATE);
    assertThat(change.getRecordId()).isEqualTo("006Hs00001AbCdEIAX");
    assertThat(change.getCommitTime()).isEqualTo(1767225600000L);
    assertThat(change.getSequence()).isEqualTo(1);
    assertThat(change.getOrigin()).isEqualTo("salesforce");
    assertThat(fieldsOf(change)).containsOnly(
        Map.entry("name", "Acme - 200 seats"), Map.entry("stage", "Prospecting"), Map.entry("amount", 24000.0),
        Map.entry("probability", 10.0), Map.entry("closeDate", "2026-03-31"), Map.entry("leadSource", "Web"),
        Map.entry("currency", "EUR"), Map.entry("ownerId", "005Hs00000EaStAAA1"));
  }

  @Test
  void aDecodedUpdateSetsOnlyItsChangedAndNulledFields() throws IOException {
    assertThat(fieldsOf(only("pubsub-opportunity-update.json")))
        .containsOnly(Map.entry("stage", "Qualification"), Map.entry("probability", 20.0));
    Map<String, Object> lead = fieldsOf(only("pubsub-lead-update-nulled.json"));
    assertThat(lead).containsEntry("status", "Working - Contacted").containsEntry("leadSource", null).hasSize(2);
  }

  @Test
  void aStreamingUpdateSetsTheFieldsItCarries() throws IOException {
    CrmChange change = only("streaming-opportunity-update.json");
    assertThat(change.getChangeType()).isEqualTo(ChangeType.UPDATE);
    assertThat(change.getCommitTime()).isEqualTo(1767232800000L);
    assertThat(fieldsOf(change)).containsOnly(Map.entry("amount", 30000.0), Map.entry("closeDate", "2026-04-30"));
  }

  @Test
  void aMergedEventFansOutToOneChangePerRecord() throws IOException {
    List<CrmChange> changes = decode("streaming-merged-lead-update.json").changes();
    assertThat(changes).extracting(c -> c.getRecordId().toString())
        .containsExactly("00QHs00000LeAd2MAF", "00QHs00000LeAd3MAF");
    assertThat(changes).allSatisfy(c -> assertThat(fieldsOf(c)).containsOnly(Map.entry("ownerId", "005Hs00000CeNtAAA1")));
    assertThat(changes.get(0).getEventId()).isNotEqualTo(changes.get(1).getEventId());
  }

  @Test
  void deleteAndUndelete() throws IOException {
    CrmChange delete = only("opportunity-delete.json");
    assertThat(delete.getChangeType()).isEqualTo(ChangeType.DELETE);
    assertThat(delete.getFields()).isEmpty();
    CrmChange undelete = only("opportunity-undelete.json");
    assertThat(undelete.getChangeType()).isEqualTo(ChangeType.UNDELETE);
    assertThat(fieldsOf(undelete)).containsEntry("stage", "Prospecting").containsEntry("amount", 24000.0)
        .doesNotContainKey("closeDate");
  }

  @Test
  void gapsAreNoticesWithTheRecordsToFetchAgainNotChanges() throws IOException {
    Decoded gap = decode("gap-update.json");
    assertThat(gap.changes()).isEmpty();
    assertThat(gap.gaps()).singleElement().satisfies(g -> {
      assertThat(g.entityLabel()).isEqualTo("opportunity");
      assertThat(g.sourceEntity()).isEqualTo("Opportunity");
      assertThat(g.gapType()).isEqualTo("GAP_UPDATE");
      assertThat(g.recordIds()).containsExactly("006Hs00001GaP1EIAX", "006Hs00001GaP2EIAX");
      assertThat(g.commitTime()).isEqualTo(1767243600000L);
      assertThat(g.transactionKey()).isEqualTo("0002b4a1-ee00-0000-1111-222233334444");
    });
    Decoded overflow = decode("gap-overflow.json");
    assertThat(overflow.changes()).isEmpty();
    assertThat(overflow.gaps()).singleElement().satisfies(g -> {
      assertThat(g.entityLabel()).isEqualTo("lead");
      assertThat(g.gapType()).isEqualTo("GAP_OVERFLOW");
      assertThat(g.transactionKey()).isNull();
    });
  }

  @Test
  void tasksAndEventsAreActivitiesOnTheirLeadOrOpportunity() throws IOException {
    CrmChange task = only("task-create.json");
    assertThat(task.getEntity()).isEqualTo(Entity.ACTIVITY);
    assertThat(fieldsOf(task)).containsOnly(Map.entry("type", "call"), Map.entry("leadId", "00QHs00000LeAd1MAF"),
        Map.entry("ownerId", "005Hs00000WeStAAA1"));
    CrmChange event = only("event-create.json");
    assertThat(fieldsOf(event)).containsOnly(Map.entry("type", "meeting"),
        Map.entry("opportunityId", "006Hs00001AbCdEIAX"), Map.entry("ownerId", "005Hs00000EaStAAA1"));
  }

  @Test
  void aUsersTeamComesFromTheConfiguredField() throws IOException {
    CrmChange user = only("user-update.json");
    assertThat(user.getEntity()).isEqualTo(Entity.USER);
    assertThat(fieldsOf(user)).containsOnly(Map.entry("team", "East"), Map.entry("managerId", "005Hs00000MgR1AAA1"));
    SalesforceCdcAdapter byDivision = new SalesforceCdcAdapter(
        PulseConfigLoader.fromYaml("salesforce: {user-team-field: Division}").salesforce());
    assertThat(fieldsOf(byDivision.decode(null, fixture("user-update.json")).changes().get(0)))
        .containsOnly(Map.entry("managerId", "005Hs00000MgR1AAA1"));
  }

  @Test
  void aLeadConversionTransactionIsOneNewOpportunityAndOneConvertedLead() throws IOException {
    List<CrmChange> changes = new ArrayList<>();
    for (String line : new String(fixture("lead-conversion.jsonl"), StandardCharsets.UTF_8).split("\n")) {
      changes.addAll(adapter.decode(null, line.getBytes(StandardCharsets.UTF_8)).changes());
    }
    assertThat(changes).extracting(c -> c.getEntity() + " " + c.getChangeType())
        .containsExactly("OPPORTUNITY CREATE", "LEAD UPDATE");
    assertThat(fieldsOf(changes.get(1))).containsOnly(Map.entry("status", "Closed - Converted"),
        Map.entry("converted", true), Map.entry("convertedOpportunityId", "006Hs00001NeWaBIAV"));
  }

  @Test
  void aRedeliveredEventHasTheSameEventId() throws IOException {
    assertThat(only("pubsub-opportunity-update.json").getEventId())
        .isEqualTo(only("pubsub-opportunity-update.json").getEventId())
        .isEqualTo("salesforce/0002b4a1-81c3-0d11-9a6e-1b2c3d4e5f60/1/006Hs00001AbCdEIAX");
  }

  @Test
  void whatCannotBeReadIsRefusedWithTheReason() {
    assertThat(reason("{\"StageName\": \"Prospecting\"}")).isEqualTo("undecodable");
    assertThat(reason("not json")).isEqualTo("undecodable");
    assertThat(reason("{\"ChangeEventHeader\": {\"entityName\": \"Lead\", \"recordIds\": [\"00Q1\"], \"changeType\": \"UPDATE\"}}"))
        .isEqualTo("missing-commit-time");
    assertThat(reason("{\"ChangeEventHeader\": {\"entityName\": \"Lead\", \"recordIds\": [], \"changeType\": \"UPDATE\","
        + " \"commitTimestamp\": 1767225600000}}")).isEqualTo("missing-record-id");
    assertThat(reason("{\"ChangeEventHeader\": {\"entityName\": \"Opportunity\", \"recordIds\": [\"0061\"], \"changeType\": \"UPDATE\","
        + " \"commitTimestamp\": 1767225600000}, \"Amount\": \"lots\"}")).isEqualTo("invalid-value");
    assertThat(adapter.decode(null, ("{\"ChangeEventHeader\": {\"entityName\": \"Account\", \"recordIds\": [\"0011\"],"
        + " \"changeType\": \"CREATE\", \"commitTimestamp\": 1767225600000}, \"Name\": \"Acme\"}").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Decoded.none());
  }

  private String reason(String json) {
    try {
      adapter.decode(null, json.getBytes(StandardCharsets.UTF_8));
      return "(accepted)";
    } catch (UndecodableRecordException e) {
      return e.reason();
    }
  }

  @Test
  void unknownTeamFieldNamesAreRefusedAtStart() {
    assertThatThrownBy(() -> PulseConfigLoader.fromYaml("salesforce: {user-team-field: \"Dept name\"}"))
        .hasMessageContaining("salesforce.user-team-field");
  }
}
