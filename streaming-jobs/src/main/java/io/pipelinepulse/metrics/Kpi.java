package io.pipelinepulse.metrics;

import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds KPI snapshots; label maps keep the order given, for readable output. */
public final class Kpi {

  private Kpi() {}

  public static KpiSnapshot gauge(String metric, Map<String, String> labels, Double value, long asOf) {
    return snapshot(metric, MetricKind.GAUGE, labels, value, asOf);
  }

  /** A gauge from a primitive value; NaN stands for absent. */
  public static KpiSnapshot gaugeOrAbsent(String metric, Map<String, String> labels, double value, long asOf) {
    return snapshot(metric, MetricKind.GAUGE, labels, Double.isNaN(value) ? null : value, asOf);
  }

  public static KpiSnapshot counter(String metric, Map<String, String> labels, double value, long asOf) {
    return snapshot(metric, MetricKind.COUNTER, labels, value, asOf);
  }

  /** A gauge that is absent: a ratio with a zero denominator. */
  public static KpiSnapshot absent(String metric, Map<String, String> labels, long asOf) {
    return snapshot(metric, MetricKind.GAUGE, labels, null, asOf);
  }

  public static Map<String, String> labels(String... namesAndValues) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      labels.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return labels;
  }

  private static KpiSnapshot snapshot(
      String metric, MetricKind kind, Map<String, String> labels, Double value, long asOf) {
    // The constructor, not the builder: a builder deep-copies each field's default first, which cost
    // as much as encoding the record. The labels are kept as given, not copied: no one changes a
    // snapshot's labels once it is made.
    return new KpiSnapshot(metric, kind, labels, value, asOf);
  }
}
