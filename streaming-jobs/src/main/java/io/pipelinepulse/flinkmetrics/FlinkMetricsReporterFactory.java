package io.pipelinepulse.flinkmetrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink finds the reporter through this factory:
 * {@code metrics.reporter.pulse.factory.class: io.pipelinepulse.flinkmetrics.FlinkMetricsReporterFactory}.
 */
public final class FlinkMetricsReporterFactory implements MetricReporterFactory {

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new FlinkMetricsReporter();
  }
}
