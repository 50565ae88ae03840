package io.pipelinepulse.localstack.bench;

import java.util.Locale;

/**
 * The report's last line, one fixed shape so that runs can be compared (and grepped) over time.
 * A figure that was not measured (skipped, or no steady middle) reads "n/a".
 */
final class LastLine {

  private LastLine() {}

  static String of(double jobOverRaw, double jobOverRawTwoConsumers, double heapPerOpenDeal, double p99Millis) {
    return String.format(Locale.ROOT, "bench: job/raw %s (2 consumers: %s), heap per open deal %s B,"
        + " p99 change-to-metric %s ms", ratio(jobOverRaw), ratio(jobOverRawTwoConsumers), whole(heapPerOpenDeal),
        whole(p99Millis));
  }

  private static String ratio(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
  }

  private static String whole(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%d", Math.round(value)) : "n/a";
  }
}
