package io.pipelinepulse.ingest.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.ingest.InputAdapters;
import io.pipelinepulse.reference.ReferenceModel;
import io.pipelinepulse.schema.CrmChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One business history — leads answered, late, converted and disqualified, deals advancing, won,
 * slipping and deleted — written as each source sends it, read back through that format's
 * adapter: the KPIs (of the reference model, which the job agrees with) are the same as from the
 * canonical history, at every point of the clock.
 */
class SameHistoryInEveryFormatTest {

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
  static final String CONFIG = """
      directory:
        users:
          - {id: u-east, team: East}
          - {id: u-west, team: West}
      hubspot:
        pipelines: {default: default}
      """;

  private final PulseConfig config = PulseConfigLoader.fromYaml(CONFIG);

  private List<CrmChange> readBack(InputFormat format, List<byte[]> records) {
    InputAdapter adapter = InputAdapters.of(format, config);
    List<CrmChange> changes = new ArrayList<>();
    for (byte[] record : records) {
      Decoded decoded = adapter.decode(null, record);
      assertThat(decoded.gaps()).isEmpty();
      changes.addAll(decoded.changes());
    }
    return changes;
  }

  @Test
  void debeziumSalesforceAndHubSpotGiveTheKpisOfTheCanonicalHistory() throws Exception {
    List<CrmChange> canonical = BusinessHistory.from(T0);
    ReferenceModel expected = new ReferenceModel(config, canonical);
    Map<InputFormat, List<CrmChange>> read = Map.of(
        InputFormat.DEBEZIUM, readBack(InputFormat.DEBEZIUM, FormatRenderer.debezium(canonical)),
        InputFormat.SALESFORCE_CDC, readBack(InputFormat.SALESFORCE_CDC, FormatRenderer.salesforce(canonical)),
        InputFormat.HUBSPOT, readBack(InputFormat.HUBSPOT, FormatRenderer.hubspot(canonical)));
    List<Long> points = List.of(T0 + 15 * MINUTE, T0 + 45 * MINUTE, T0 + 2 * HOUR + 30 * MINUTE, T0 + 6 * HOUR,
        T0 + 20 * 24 * HOUR, T0 + 45 * 24 * HOUR);
    for (Map.Entry<InputFormat, List<CrmChange>> format : read.entrySet()) {
      ReferenceModel actual = new ReferenceModel(config, format.getValue());
      for (long m : points) {
        Map<String, Double> values = expected.valuesAt(m);
        assertThat(values).as("the history has KPIs at %d", m).isNotEmpty();
        assertThat(actual.valuesAt(m)).as("%s at T0 + %d min", format.getKey(), (m - T0) / MINUTE).containsExactlyInAnyOrderEntriesOf(values);
      }
    }
    Map<String, Double> end = expected.valuesAt(T0 + 6 * HOUR);
    assertThat(end.keySet()).anyMatch(k -> k.startsWith("pulse_deals_closed"))
        .anyMatch(k -> k.startsWith("pulse_leads_resolved")).anyMatch(k -> k.startsWith("pulse_lead_response_sla_breaches_total"))
        .anyMatch(k -> k.startsWith("pulse_close_date_pushes_total")).anyMatch(k -> k.startsWith("pulse_leads_awaiting_response"));
  }
}
