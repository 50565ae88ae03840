package io.pipelinepulse.flinkmetrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Flink's own metrics (checkpoints, restarts, records in and out, Kafka source lag, back
 * pressure) for Prometheus from each Flink process, on a host of its choosing: Flink's bundled
 * Prometheus reporter listens on every interface. Options ({@code metrics.reporter.<name>.*}):
 * {@code host} (default 127.0.0.1) and {@code port}, one port or a range "9251-9260" of which each
 * process takes the first free one.
 */
public final class FlinkMetricsReporter implements MetricReporter {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkMetricsReporter.class);

  private final FlinkMetricsCollector collector = new FlinkMetricsCollector();
  private HTTPServer server;

  @Override
  public void open(MetricConfig config) {
    String host = config.getString("host", "127.0.0.1");
    int[] ports = ports(config.getString("port", "9251"));
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    IOException last = null;
    for (int port = ports[0]; port <= ports[1]; port++) {
      try {
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        LOG.info("Flink metrics for Prometheus at http://{}:{}/metrics", host, server.getPort());
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("no free port for Flink's metrics in " + ports[0] + "-" + ports[1] + " on " + host,
        last);
  }

  static int[] ports(String spec) {
    String[] bounds = spec.trim().split("-");
    try {
      int from = Integer.parseInt(bounds[0].trim());
      int to = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : from;
      if (bounds.length > 2 || from < 0 || to > 65535 || to < from) {
        throw new NumberFormatException(spec);
      }
      return new int[] {from, to};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metrics reporter port '" + spec + "' is not a port or a range like 9251-9260");
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    collector.add(metric, metricName, group);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    collector.remove(metric);
  }
}
