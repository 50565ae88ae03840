package io.pipelinepulse.localstack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Reads the job's own Prometheus endpoint. */
final class MetricsEndpoint {

  private final URI uri;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  MetricsEndpoint(String host, int port) {
    this.uri = URI.create("http://" + host + ":" + port + "/metrics");
  }

  URI uri() {
    return uri;
  }

  String page() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** The sum of every sample of the metric {@code name} on the page; 0 when it has none. */
  static double sum(String page, String name) {
    double sum = 0;
    int from = 0;
    while (from < page.length()) {
      int endOfLine = page.indexOf('\n', from);
      if (endOfLine < 0) {
        endOfLine = page.length();
      }
      if (page.startsWith(name, from)) {
        int after = from + name.length();
        char next = after < endOfLine ? page.charAt(after) : '\n';
        if (next == '{' || next == ' ') {
          // name{labels} value [timestamp], or name value [timestamp]
          String value;
          if (next == '{') {
            int close = page.lastIndexOf('}', endOfLine);
            String rest = page.substring(close + 1, endOfLine).trim();
            value = rest.split("\\s+")[0];
          } else {
            value = page.substring(after, endOfLine).trim().split("\\s+")[0];
          }
          sum += Double.parseDouble(value);
        }
      }
      from = endOfLine + 1;
    }
    return sum;
  }

  /** pulse_input_events_total summed by the value of {@code label} (e.g. outcome, entity). */
  static Map<String, Long> inputEventsBy(String page, String label) {
    return inputEventsBy(page, label, null);
  }

  /** As {@link #inputEventsBy(String, String)}, of the series of one entity only (all when null). */
  static Map<String, Long> inputEventsBy(String page, String label, String entity) {
    Map<String, Long> sums = new TreeMap<>();
    for (String line : page.split("\n")) {
      if (!line.startsWith(JobRun.INPUT_EVENTS + "{")
          || (entity != null && !line.contains("entity=\"" + entity + "\""))) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String labels = line.substring(0, close);
      String key = "?";
      int at = labels.indexOf(label + "=\"");
      if (at >= 0) {
        int start = at + label.length() + 2;
        key = labels.substring(start, labels.indexOf('"', start));
      }
      long value = Math.round(Double.parseDouble(line.substring(close + 1).trim().split("\\s+")[0]));
      sums.merge(key, value, Long::sum);
    }
    return sums;
  }
}
