package io.pipelinepulse.publish;

import io.pipelinepulse.metrics.MetricCatalog;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest value of every KPI series, served to Prometheus scrapes. Written by the publishing
 * operator's thread, read by the HTTP server's threads.
 */
public final class LatestKpis implements MultiCollector {

  static final String CLOCK_LAG = "pulse_clock_lag_seconds";
  /** Waits keep growing between published values: served as of the job's now at scrape time. */
  static final String OLDEST_WAIT = "pulse_lead_oldest_wait_seconds";

  private final Map<String, KpiSnapshot> series = new ConcurrentHashMap<>();
  private final LongSupplier wallClock;
  private volatile long watermark = Long.MIN_VALUE;
  private volatile StateOrigin stateOrigin;

  public LatestKpis(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** Stores the value, or forgets the series when the snapshot says it is absent. */
  public void apply(KpiSnapshot snapshot) {
    String key = seriesKey(snapshot);
    if (snapshot.getValue() == null) {
      series.remove(key);
    } else {
      series.put(key, snapshot);
    }
  }

  /** Stores the value only for a series that has none yet. */
  public void applyIfAbsent(KpiSnapshot snapshot) {
    if (snapshot.getValue() != null) {
      series.putIfAbsent(seriesKey(snapshot), snapshot);
    }
  }

  public void stateOrigin(StateOrigin origin) {
    stateOrigin = origin;
  }

  public void watermark(long eventTimeNow) {
    watermark = eventTimeNow;
  }

  public Collection<KpiSnapshot> all() {
    return List.copyOf(series.values());
  }

  /** The series a snapshot belongs to, as {@code metric{name=value, ...}} with label names sorted. */
  public static String seriesKey(KpiSnapshot snapshot) {
    Map<String, String> labels = snapshot.getLabels();
    String[] names = labels.keySet().toArray(new String[0]);
    Arrays.sort(names);
    StringBuilder key = new StringBuilder(64).append(snapshot.getMetric()).append('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        key.append(", ");
      }
      key.append(names[i]).append('=').append(labels.get(names[i]));
    }
    return key.append('}').toString();
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, List<KpiSnapshot>> byMetric = new TreeMap<>();
    for (KpiSnapshot snapshot : series.values()) {
      byMetric.computeIfAbsent(snapshot.getMetric(), m -> new ArrayList<>()).add(snapshot);
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Map.Entry<String, List<KpiSnapshot>> metric : byMetric.entrySet()) {
      snapshots.add(toPrometheus(metric.getKey(), metric.getValue(), watermark));
    }
    long now = watermark;
    if (now != Long.MIN_VALUE) {
      snapshots.add(GaugeSnapshot.builder()
          .name(CLOCK_LAG)
          .help(MetricCatalog.help(CLOCK_LAG))
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .value((wallClock.getAsLong() - now) / 1000.0)
              .build())
          .build());
    }
    StateOrigin origin = stateOrigin;
    if (origin != null) {
      // every source, 1 for the one that holds: "none" reads 0 rather than absent when all is well
      GaugeSnapshot.Builder restored = GaugeSnapshot.builder().name(StateOrigin.METRIC)
          .help(MetricCatalog.help(StateOrigin.METRIC));
      for (StateOrigin source : StateOrigin.values()) {
        restored.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(Labels.of("source", source.label())).value(source == origin ? 1 : 0).build());
      }
      snapshots.add(restored.build());
    }
    return new MetricSnapshots(snapshots);
  }

  private static MetricSnapshot toPrometheus(String metric, List<KpiSnapshot> points, long now) {
    if (points.get(0).getKind() == MetricKind.COUNTER) {
      CounterSnapshot.Builder counter = CounterSnapshot.builder()
          .name(metric.endsWith("_total") ? metric.substring(0, metric.length() - "_total".length()) : metric)
          .help(MetricCatalog.help(metric));
      for (KpiSnapshot point : points) {
        counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
            .labels(labels(point)).value(point.getValue()).build());
      }
      return counter.build();
    }
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(metric).help(MetricCatalog.help(metric));
    for (KpiSnapshot point : points) {
      double value = point.getValue();
      if (metric.equals(OLDEST_WAIT) && now > point.getAsOf()) {
        value += (now - point.getAsOf()) / 1000.0;
      }
      gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .labels(labels(point)).value(value).build());
    }
    return gauge.build();
  }

  private static Labels labels(KpiSnapshot snapshot) {
    Labels.Builder labels = Labels.builder();
    for (Map.Entry<String, String> label : snapshot.getLabels().entrySet()) {
      labels.label(label.getKey(), label.getValue());
    }
    return labels.build();
  }
}
