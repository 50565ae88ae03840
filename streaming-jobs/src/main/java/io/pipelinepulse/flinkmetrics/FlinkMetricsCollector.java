package io.pipelinepulse.flinkmetrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;

/**
 * Flink's metrics as Prometheus gauges: {@code flink_<logical scope>_<name>} (e.g.
 * {@code flink_jobmanager_job_numberOfFailedCheckpoints}), labelled with the group's variables
 * (job_name, task_name, subtask_index, ...). Counters give their count, meters their rate per
 * second, gauges their numeric value; histograms are left out.
 */
final class FlinkMetricsCollector implements MultiCollector {

  private record Exported(String name, Labels labels, Metric metric) {}

  private final Map<Metric, Exported> metrics = new ConcurrentHashMap<>();

  void add(Metric metric, String metricName, MetricGroup group) {
    if (!(metric instanceof Counter || metric instanceof Gauge || metric instanceof Meter)) {
      return;
    }
    String scope = LogicalScopeProvider.castFrom(group).getLogicalScope(FlinkMetricsCollector::sanitize, '_');
    Labels.Builder labels = Labels.builder();
    for (Map.Entry<String, String> variable : new TreeMap<>(group.getAllVariables()).entrySet()) {
      labels.label(sanitize(variable.getKey().replace("<", "").replace(">", "")), variable.getValue());
    }
    metrics.put(metric, new Exported("flink_" + scope + "_" + sanitize(metricName), labels.build(), metric));
  }

  void remove(Metric metric) {
    metrics.remove(metric);
  }

  static String sanitize(String text) {
    return text.replaceAll("[^a-zA-Z0-9_]", "_");
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, List<Exported>> byName = new TreeMap<>();
    for (Exported exported : metrics.values()) {
      byName.computeIfAbsent(exported.name(), n -> new ArrayList<>()).add(exported);
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Map.Entry<String, List<Exported>> entry : byName.entrySet()) {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(entry.getKey());
      Set<Labels> seen = new HashSet<>();
      int points = 0;
      for (Exported exported : entry.getValue()) {
        Double value = value(exported.metric());
        // One point per label set: Flink can register a metric twice in one group.
        if (value != null && seen.add(exported.labels())) {
          gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(exported.labels()).value(value).build());
          points++;
        }
      }
      if (points > 0) {
        snapshots.add(gauge.build());
      }
    }
    return new MetricSnapshots(snapshots);
  }

  private static Double value(Metric metric) {
    if (metric instanceof Counter counter) {
      return (double) counter.getCount();
    }
    if (metric instanceof Meter meter) {
      return meter.getRate();
    }
    Object value = ((Gauge<?>) metric).getValue();
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof Boolean bool) {
      return bool ? 1.0 : 0.0;
    }
    return null;
  }
}
