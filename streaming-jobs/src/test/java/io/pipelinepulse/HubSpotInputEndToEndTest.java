package io.pipelinepulse;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.testing.InputTopicJobTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HubSpot webhook deliveries through the whole job, out of order (within clock.out-of-orderness)
 * and retried: a deal moves
 * through HubSpot's default pipeline and is won, a contact is answered and converts; every
 * retried event counts once.
 */
class HubSpotInputEndToEndTest extends InputTopicJobTest {

  private static final String INPUT = "hubspot.webhooks";

  @BeforeAll
  static void createTopics() throws Exception {
    broker.createTopic(INPUT, 2);
  }

  private static String event(long eventId, String subscription, long objectId, long occurredAt, int attempt,
      String property, String value) {
    return "{\"eventId\": " + eventId + ", \"subscriptionId\": 1, \"portalId\": 62, \"occurredAt\": " + occurredAt
        + ", \"subscriptionType\": \"" + subscription + "\", \"attemptNumber\": " + attempt + ", \"objectId\": " + objectId
        + (property == null ? "" : ", \"propertyName\": \"" + property + "\", \"propertyValue\": \"" + value + "\"") + "}";
  }

  @Test
  void unorderedAndRetriedDeliveriesGiveTheRecordsStateOnce() throws Exception {
    long t0 = historyStart();
    String won = event(12, "deal.propertyChange", 700, t0 + 40 * MINUTE, 0, "dealstage", "closedwon");
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      // the later stage changes arrive before the deal's creation
      send(producer, INPUT, "700", "[" + event(11, "deal.propertyChange", 700, t0 + 20 * MINUTE, 0, "dealstage", "qualifiedtobuy")
          + ", " + won + "]");
      send(producer, INPUT, "700", "[" + event(10, "deal.creation", 700, t0, 0, null, null)
          + ", " + event(10, "deal.propertyChange", 700, t0, 0, "dealstage", "appointmentscheduled")
          + ", " + event(10, "deal.propertyChange", 700, t0, 0, "amount", "4000")
          + ", " + event(10, "deal.propertyChange", 700, t0, 0, "hubspot_owner_id", "88001") + "]");
      // a retry of the winning event, in a delivery of its own
      send(producer, INPUT, "700", "[" + won.replace("\"attemptNumber\": 0", "\"attemptNumber\": 1") + "]");
      send(producer, INPUT, "900", "[" + event(20, "contact.creation", 900, t0 + MINUTE, 0, null, null)
          + ", " + event(20, "contact.propertyChange", 900, t0 + MINUTE, 0, "hs_lead_status", "NEW")
          + ", " + event(21, "contact.propertyChange", 900, t0 + MINUTE, 0, "hs_analytics_source", "ORGANIC_SEARCH")
          + ", " + event(22, "contact.propertyChange", 900, t0 + MINUTE, 0, "hubspot_owner_id", "88001") + "]");
      send(producer, INPUT, "900", "[" + event(24, "contact.propertyChange", 900, t0 + 50 * MINUTE, 0, "lifecyclestage", "opportunity")
          + ", " + event(23, "contact.propertyChange", 900, t0 + 31 * MINUTE, 0, "hs_lead_status", "ATTEMPTED_TO_CONTACT") + "]");
      producer.flush();
    }

    Map<String, Double> expected = new LinkedHashMap<>();
    String pipeline = "hubspot";
    expected.put(series("pulse_stage_advances", "pipeline", pipeline, "stage", "appointmentscheduled", "team", "East",
        "window", "1d"), 1.0);
    expected.put(series("pulse_stage_exits", "pipeline", pipeline, "stage", "qualifiedtobuy", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_stage_advances", "pipeline", pipeline, "stage", "qualifiedtobuy", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_deals_closed", "pipeline", pipeline, "team", "East", "window", "1d", "outcome", "won"), 1.0);
    expected.put(series("pulse_leads_responded", "team", "East", "lead_source", "ORGANIC_SEARCH", "window", "1d"), 1.0);
    expected.put(series("pulse_leads_resolved", "team", "East", "lead_source", "ORGANIC_SEARCH", "window", "1d",
        "outcome", "converted"), 1.0);
    expected.put(input("opportunity", "accepted"), 6.0);
    expected.put(input("opportunity", "duplicate"), 1.0);
    expected.put(input("lead", "accepted"), 6.0);
    Map<String, Double> page = runUntil(expected,
        "kafka:\n  inputs:\n    - {topic: " + INPUT + ", format: hubspot}\n",
        "directory:\n  users:\n    - {id: \"88001\", team: East}\n",
        // deliveries may come this late after one another
        "clock:\n  out-of-orderness: 1h\n");
    assertThat(page.get(series("pulse_lead_first_response_seconds", "team", "East", "lead_source", "ORGANIC_SEARCH",
        "window", "1d", "quantile", "0.5"))).isCloseTo(30 * 60.0, org.assertj.core.data.Percentage.withPercentage(1));
  }

  private static String input(String entity, String outcome) {
    return input("hubspot", entity, outcome);
  }
}
