package io.pipelinepulse.ingest.formats.hubspot;

import static io.pipelinepulse.testing.Changes.fieldsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.ingest.formats.Decoded;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HubSpot webhook v3 deliveries (fixtures under fixtures/hubspot, written in HubSpot's shapes). */
class HubSpotAdapterTest {

  private final HubSpotAdapter adapter = new HubSpotAdapter(PulseConfigLoader.defaults().hubspot());

  private List<CrmChange> decode(String fixture) throws IOException {
    try (InputStream in = HubSpotAdapterTest.class.getResourceAsStream("/fixtures/hubspot/" + fixture)) {
      return adapter.decode(null, in.readAllBytes()).changes();
    }
  }

  private List<CrmChange> decodeText(String json) {
    return adapter.decode(null, json.getBytes(StandardCharsets.UTF_8)).changes();
  }

  @Test
  void aDealsCreationIsOneChangePerEventOrderedWithinItsMomentAndOtherObjectsAreSkipped() throws IOException {
    List<CrmChange> changes = decode("deal-created.json");
    assertThat(changes).hasSize(6).allSatisfy(c -> {
      assertThat(c.getEntity()).isEqualTo(Entity.OPPORTUNITY);
      assertThat(c.getRecordId()).isEqualTo("9876543210");
      assertThat(c.getCommitTime()).isEqualTo(1767225600000L);
      assertThat(c.getOrigin()).isEqualTo("hubspot");
    });
    CrmChange creation = changes.stream().filter(c -> c.getChangeType() == ChangeType.CREATE).findFirst().orElseThrow();
    assertThat(fieldsOf(creation)).as("in HubSpot's default pipeline until told otherwise")
        .containsOnly(Map.entry("pipeline", "hubspot"));
    // The creation comes first among changes of the same moment, whatever the delivery order.
    assertThat(changes.stream().filter(c -> c != creation)).allSatisfy(c -> {
      assertThat(c.getChangeType()).isEqualTo(ChangeType.UPDATE);
      assertThat(c.getSequence()).isGreaterThan(creation.getSequence());
    });
    Map<String, Object> merged = new HashMap<>();
    changes.forEach(c -> merged.putAll(fieldsOf(c)));
    assertThat(merged).containsOnly(Map.entry("stage", "appointmentscheduled"), Map.entry("amount", 18000.0),
        Map.entry("pipeline", "hubspot"), Map.entry("closeDate", "2026-03-31"), Map.entry("ownerId", "88001"));
  }

  @Test
  void aContactIsALeadWhoseStatusesAreMappedAndWhoseLifecycleStageConverts() throws IOException {
    List<CrmChange> changes = decode("contact-lead.json");
    assertThat(changes).extracting(CrmChange::getChangeType).containsExactly(ChangeType.CREATE, ChangeType.UPDATE,
        ChangeType.UPDATE, ChangeType.UPDATE, ChangeType.UPDATE, ChangeType.DELETE);
    assertThat(changes).allSatisfy(c -> assertThat(c.getEntity()).isEqualTo(Entity.LEAD));
    assertThat(fieldsOf(changes.get(1))).containsOnly(Map.entry("status", "Open - Not Contacted"));
    assertThat(fieldsOf(changes.get(2))).containsOnly(Map.entry("leadSource", "ORGANIC_SEARCH"));
    assertThat(fieldsOf(changes.get(3))).containsOnly(Map.entry("status", "Working - Contacted"));
    assertThat(fieldsOf(changes.get(4))).containsOnly(Map.entry("converted", true));
    assertThat(changes.get(5).getFields()).isEmpty();
  }

  @Test
  void aRetriedDeliveryHasTheSameIdentityThoughHubSpotReusesEventIds() {
    String event = "{\"eventId\": 77, \"portalId\": 1, \"occurredAt\": 1767225600000, \"subscriptionType\": \"deal.propertyChange\","
        + " \"attemptNumber\": %d, \"objectId\": %d, \"propertyName\": \"dealstage\", \"propertyValue\": \"%s\"}";
    String first = decodeText("[" + event.formatted(0, 5, "qualifiedtobuy") + "]").get(0).getEventId().toString();
    String retried = decodeText("[" + event.formatted(3, 5, "qualifiedtobuy") + "]").get(0).getEventId().toString();
    String otherDealSameEventId = decodeText("[" + event.formatted(0, 6, "qualifiedtobuy") + "]").get(0).getEventId().toString();
    assertThat(retried).isEqualTo(first);
    assertThat(otherDealSameEventId).isNotEqualTo(first);
  }

  @Test
  void pipelinesNotMappedKeepTheirIdAndEmptyValuesClearAField() {
    List<CrmChange> changes = decodeText("[{\"eventId\": 1, \"occurredAt\": 1767225600000, \"subscriptionType\": \"object.propertyChange\","
        + " \"objectTypeId\": \"0-3\", \"objectId\": 5, \"propertyName\": \"pipeline\", \"propertyValue\": \"9912345\"},"
        + " {\"eventId\": 2, \"occurredAt\": 1767225600000, \"subscriptionType\": \"object.propertyChange\","
        + " \"objectTypeId\": \"0-3\", \"objectId\": 5, \"propertyName\": \"amount\", \"propertyValue\": \"\"}]");
    assertThat(fieldsOf(changes.get(0))).containsOnly(Map.entry("pipeline", "9912345"));
    assertThat(fieldsOf(changes.get(1))).containsEntry("amount", null).hasSize(1);
  }

  @Test
  void whatCannotBeReadIsRefusedWithTheReason() {
    assertThat(reason("{\"not\": \"an event\"}")).isEqualTo("undecodable");
    assertThat(reason("[{\"subscriptionType\": \"deal.creation\", \"objectId\": 5}]")).isEqualTo("missing-commit-time");
    assertThat(reason("[{\"subscriptionType\": \"deal.creation\", \"occurredAt\": 1767225600000}]")).isEqualTo("missing-record-id");
    assertThat(reason("[{\"subscriptionType\": \"deal.propertyChange\", \"objectId\": 5, \"occurredAt\": 1767225600000,"
        + " \"propertyName\": \"amount\", \"propertyValue\": \"a lot\"}]")).isEqualTo("invalid-value");
    assertThat(reason("\"text\"")).isEqualTo("undecodable");
  }

  /** Why the delivery, or the one event in it, was refused. */
  private String reason(String json) {
    try {
      Decoded decoded = adapter.decode(null, json.getBytes(StandardCharsets.UTF_8));
      return decoded.refused().isEmpty() ? "(accepted)" : decoded.refused().get(0).reason();
    } catch (UndecodableRecordException e) {
      return e.reason();
    }
  }

  @Test
  void anUnreadableEventIsRefusedAloneAndTheOtherEventsOfItsDeliveryGoOn() {
    String bad = "{\"subscriptionType\":\"deal.propertyChange\",\"objectId\":6,\"occurredAt\":1767225600000,"
        + "\"propertyName\":\"amount\",\"propertyValue\":\"a lot\"}";
    String json = "[{\"subscriptionType\": \"deal.creation\", \"objectId\": 5, \"occurredAt\": 1767225600000},"
        + bad + ","
        + "{\"subscriptionType\": \"deal.propertyChange\", \"objectId\": 5, \"occurredAt\": 1767225601000,"
        + " \"propertyName\": \"amount\", \"propertyValue\": \"12.5\"}]";
    Decoded decoded = adapter.decode(null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.changes()).extracting(CrmChange::getRecordId, CrmChange::getCommitTime)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("5", 1767225600000L),
            org.assertj.core.groups.Tuple.tuple("5", 1767225601000L));
    assertThat(decoded.refused()).singleElement().satisfies(refused -> {
      assertThat(refused.reason()).isEqualTo("invalid-value");
      assertThat(new String(refused.value(), StandardCharsets.UTF_8)).as("the event alone, not the delivery")
          .isEqualTo(bad);
    });
  }
}
