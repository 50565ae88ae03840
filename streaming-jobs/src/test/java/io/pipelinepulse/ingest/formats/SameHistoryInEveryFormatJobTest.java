package io.pipelinepulse.ingest.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.reference.ReferenceModel;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.InputTopicJobTest;
import io.pipelinepulse.testing.MetricsPage;
import io.pipelinepulse.testing.PulseJobRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The business history of {@link BusinessHistory}, as canonical changes, Debezium row events,
 * Salesforce CDC events and HubSpot deliveries, each on its own topic through its own run of the
 * whole job: every run publishes the same KPIs, those of the reference model (quantiles within the
 * sketch's 1%), to the last digit alike across the formats.
 */
class SameHistoryInEveryFormatJobTest extends InputTopicJobTest {

  private final PulseConfig config = PulseConfigLoader.fromYaml(SameHistoryInEveryFormatTest.CONFIG);

  /** The KPIs to compare: not the input counters (their format differs) nor what grows with the clock. */
  private static Map<String, Double> kpis(Map<String, Double> page) {
    Map<String, Double> kpis = new TreeMap<>();
    page.forEach((series, value) -> {
      boolean compared = series.startsWith("pulse_") && !series.startsWith("pulse_input_events_total")
          && !series.startsWith("pulse_clock_lag_seconds") && !series.startsWith("pulse_lead_oldest_wait_seconds")
          && !series.startsWith("pulse_lead_response_sla_seconds")
          && !series.startsWith("pulse_job_state_restored");
      if (compared && value != 0.0) {
        kpis.put(series, value);
      }
    });
    return kpis;
  }

  @Test
  void everyFormatOfTheHistoryGivesTheSameKpisThroughTheJob() throws Exception {
    long t0 = historyStart();
    List<CrmChange> canonical = BusinessHistory.from(t0);
    List<byte[]> canonicalRecords = new ArrayList<>();
    for (CrmChange change : canonical) {
      canonicalRecords.add(Codecs.crmChange().encode(change));
    }
    Map<String, List<byte[]>> formats = Map.of(
        "canonical", canonicalRecords,
        "debezium", FormatRenderer.debezium(canonical),
        "salesforce-cdc", FormatRenderer.salesforce(canonical),
        "hubspot", FormatRenderer.hubspot(canonical));
    // every change lies hours back: all of them are inside every window, now and a minute later
    Map<String, Double> expected = kpis(ReferenceModel.withoutZeroCounts(
        new ReferenceModel(config, canonical).valuesAt(System.currentTimeMillis())));
    assertThat(expected.keySet()).anyMatch(k -> k.startsWith("pulse_deals_closed"))
        .anyMatch(k -> k.startsWith("pulse_leads_resolved")).anyMatch(k -> k.startsWith("pulse_stage_exits"));

    Map<String, Map<String, Double>> published = new TreeMap<>();
    for (Map.Entry<String, List<byte[]>> format : formats.entrySet()) {
      String topic = "same-history." + format.getKey();
      broker.createTopic(topic, 2);
      try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
        for (byte[] record : format.getValue()) {
          producer.send(new ProducerRecord<>(topic, null, record)).get();
        }
      }
      int port = PulseJobRunner.freePort();
      PulseConfig run = PulseJobRunner.testConfig(broker, port, SameHistoryInEveryFormatTest.CONFIG,
          "kafka:\n  inputs:\n    - {topic: " + topic + ", format: " + format.getKey() + "}\n");
      JobClient job = PulseJobRunner.start(run);
      try {
        Map<String, Double> page = MetricsPage.awaitPage("http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(120),
            p -> closeTo(kpis(p), expected));
        published.put(format.getKey(), kpis(page));
      } finally {
        job.cancel().get();
      }
    }
    for (Map.Entry<String, Map<String, Double>> format : published.entrySet()) {
      assertThat(format.getValue()).as(format.getKey()).isEqualTo(published.get("canonical"));
    }
  }

  /**
   * The same series with the same values; the job's response and cycle quantiles come from a
   * sketch within 1% of the exact value the reference model computes.
   */
  private static boolean closeTo(Map<String, Double> actual, Map<String, Double> expected) {
    if (!actual.keySet().equals(expected.keySet())) {
      return false;
    }
    return expected.entrySet().stream().allMatch(e -> Math.abs(actual.get(e.getKey()) - e.getValue())
        <= (e.getKey().contains("quantile=") ? 0.01 * Math.abs(e.getValue()) : 1e-9));
  }
}
