package io.pipelinepulse;

import static io.pipelinepulse.testing.MetricsPage.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.InputTopicJobTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Salesforce Change Data Capture events in both JSON forms through the whole job: KPIs move, a
 * lead's first touch and its conversion count, a merged event counts per record, a redelivery
 * once, and a gap event is counted and published for reconciliation with its record ids.
 */
class SalesforceInputEndToEndTest extends InputTopicJobTest {

  private static final String INPUT = "salesforce.changes";

  @BeforeAll
  static void createTopics() throws Exception {
    broker.createTopic(INPUT, 2);
  }

  /** A decoded (Pub/Sub API) event: the header, then the fields. */
  private static String event(String entity, String changeType, List<String> ids, long commitTime, String transaction,
      String changedFields, String fields) {
    return "{\"ChangeEventHeader\": {\"entityName\": \"" + entity + "\", \"recordIds\": [\"" + String.join("\", \"", ids)
        + "\"], \"changeType\": \"" + changeType + "\", \"transactionKey\": \"" + transaction + "\", \"sequenceNumber\": 1,"
        + " \"commitTimestamp\": " + commitTime + ", \"commitUser\": \"005A\", \"changedFields\": [" + changedFields
        + "], \"nulledFields\": [], \"diffFields\": []}" + (fields.isEmpty() ? "" : ", " + fields) + "}";
  }

  /** A Streaming API event: only the changed fields, wrapped as the connector delivers it. */
  private static String streaming(String entity, String changeType, String id, long commitTime, String transaction,
      String fields) {
    return "{\"data\": {\"payload\": {\"ChangeEventHeader\": {\"entityName\": \"" + entity + "\", \"recordIds\": [\"" + id
        + "\"], \"changeType\": \"" + changeType + "\", \"transactionKey\": \"" + transaction + "\", \"sequenceNumber\": 1,"
        + " \"commitTimestamp\": " + commitTime + "}, " + fields + "}, \"event\": {\"replayId\": 7}}}";
  }

  @Test
  void changeDataCaptureEventsMoveTheKpisAndGapsGoToReconciliation() throws Exception {
    long t0 = historyStart();
    String update = event("Opportunity", "UPDATE", List.of("006A"), t0 + 10 * MINUTE, "tx-3",
        "\"StageName\", \"LastModifiedDate\"", "\"StageName\": \"Qualification\", \"Amount\": null, \"OwnerId\": null");
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      send(producer, INPUT, "005E", event("User", "CREATE", List.of("005E"), t0 - MINUTE, "tx-1", "",
          "\"Department\": \"East\", \"Name\": \"Eve East\", \"IsActive\": true"));
      send(producer, INPUT, "006A", event("Opportunity", "CREATE", List.of("006A"), t0, "tx-2", "",
          "\"StageName\": \"Prospecting\", \"Amount\": 2000.0, \"Probability\": 10.0, \"OwnerId\": \"005E\", \"Description\": null"));
      send(producer, INPUT, "006A", update);
      send(producer, INPUT, "006A", update);
      send(producer, INPUT, "00QA", streaming("Lead", "CREATE", "00QA", t0 + MINUTE, "tx-4",
          "\"Status\": \"Open - Not Contacted\", \"LeadSource\": \"Web\", \"OwnerId\": \"005E\""));
      send(producer, INPUT, "00QB", streaming("Lead", "CREATE", "00QB", t0 + MINUTE, "tx-5",
          "\"Status\": \"Open - Not Contacted\", \"LeadSource\": \"Web\", \"OwnerId\": \"005E\""));
      send(producer, INPUT, "00TA", event("Task", "CREATE", List.of("00TA"), t0 + 11 * MINUTE, "tx-6", "",
          "\"WhoId\": \"00QA\", \"TaskSubtype\": \"Call\", \"OwnerId\": \"005E\""));
      send(producer, INPUT, "00QA", event("Lead", "UPDATE", List.of("00QA", "00QB"), t0 + 30 * MINUTE, "tx-7",
          "\"Status\", \"IsConverted\"", "\"Status\": \"Closed - Converted\", \"IsConverted\": true"));
      send(producer, INPUT, "006G", event("Opportunity", "GAP_UPDATE", List.of("006G1", "006G2"), t0 + 40 * MINUTE, "tx-8", "", ""));
      producer.flush();
    }

    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put(series("pulse_open_deals", "pipeline", "default", "stage", "Qualification", "team", "East"), 1.0);
    expected.put(series("pulse_open_pipeline_amount", "pipeline", "default", "stage", "Qualification", "team", "East"), 2000.0);
    expected.put(series("pulse_stage_advances", "pipeline", "default", "stage", "Prospecting", "team", "East", "window", "1d"), 1.0);
    expected.put(series("pulse_leads_responded", "team", "East", "lead_source", "Web", "window", "1d"), 2.0);
    expected.put(series("pulse_leads_resolved", "team", "East", "lead_source", "Web", "window", "1d", "outcome", "converted"), 2.0);
    expected.put(input("opportunity", "accepted"), 2.0);
    expected.put(input("opportunity", "duplicate"), 1.0);
    expected.put(input("opportunity", "gap"), 1.0);
    expected.put(input("lead", "accepted"), 4.0);
    expected.put(input("activity", "accepted"), 1.0);
    expected.put(input("user", "accepted"), 1.0);
    runUntil(expected, "kafka:\n  inputs:\n    - {topic: " + INPUT + ", format: salesforce-cdc}\n");

    List<GapEvent> gaps = broker.readAll("pulse.reconciliation", Duration.ofSeconds(10)).stream()
        .map(record -> Codecs.gapEvent().decode(record.value())).toList();
    assertThat(gaps).singleElement().satisfies(gap -> {
      assertThat(gap.getEntity().toString()).isEqualTo("Opportunity");
      assertThat(gap.getGapType().toString()).isEqualTo("GAP_UPDATE");
      assertThat(gap.getRecordIds()).extracting(Object::toString).containsExactly("006G1", "006G2");
      assertThat(gap.getCommitTime()).isEqualTo(t0 + 40 * MINUTE);
      assertThat(gap.getTopic().toString()).isEqualTo(INPUT);
      assertThat(gap.getFormat().toString()).isEqualTo("salesforce-cdc");
    });
  }

  private static String input(String entity, String outcome) {
    return input("salesforce-cdc", entity, outcome);
  }
}
