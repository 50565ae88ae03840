package io.pipelinepulse.reference;

import io.pipelinepulse.schema.KpiSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The KPI topic read back as a history: the value of every series at any point of the clock. */
public final class KpiTimeline {

  /** Published when the awaiting set changes; it grows with the clock in between. */
  private static final String OLDEST_WAIT = "pulse_lead_oldest_wait_seconds";

  private final Map<String, List<KpiSnapshot>> bySeries = new HashMap<>();

  /** Snapshots in topic order (per partition, which keeps the order of each series). */
  public KpiTimeline(List<KpiSnapshot> snapshots) {
    for (KpiSnapshot snapshot : snapshots) {
      bySeries.computeIfAbsent(seriesKey(snapshot), k -> new ArrayList<>()).add(snapshot);
    }
  }

  public static String seriesKey(KpiSnapshot snapshot) {
    return snapshot.getMetric() + new TreeMap<>(snapshot.getLabels());
  }

  /** Series whose last snapshot at or before {@code m} has a value, with that value. */
  public Map<String, Double> valuesAt(long m, String metricPrefix) {
    Map<String, Double> values = new TreeMap<>();
    for (Map.Entry<String, List<KpiSnapshot>> series : bySeries.entrySet()) {
      if (!series.getKey().startsWith(metricPrefix)) {
        continue;
      }
      KpiSnapshot latest = null;
      for (KpiSnapshot snapshot : series.getValue()) {
        if (snapshot.getAsOf() <= m && (latest == null || snapshot.getAsOf() >= latest.getAsOf())) {
          latest = snapshot;
        }
      }
      if (latest != null && latest.getValue() != null) {
        double value = latest.getValue();
        if (latest.getMetric().equals(OLDEST_WAIT)) {
          value += (m - latest.getAsOf()) / 1000.0;
        }
        values.put(series.getKey(), value);
      }
    }
    return values;
  }
}
