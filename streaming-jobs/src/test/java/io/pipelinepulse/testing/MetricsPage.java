package io.pipelinepulse.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes a Prometheus text endpoint into {@code name{label="value",...}} → value. */
public final class MetricsPage {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MetricsPage() {}

  /** Key of a series in the map returned by {@link #scrape}: labels in name order. */
  public static String series(String name, String... labelPairs) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    return name + labels;
  }

  public static Map<String, Double> scrape(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  public static Map<String, Double> parse(String body) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher label = LABEL.matcher(m.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.put(m.group(1) + labels, Double.parseDouble(m.group(4)));
    }
    return samples;
  }

  /** Scrapes until the page satisfies {@code condition}; returns the last page or fails with it. */
  public static Map<String, Double> awaitPage(String url, Duration timeout, Predicate<Map<String, Double>> condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    Map<String, Double> last = Map.of();
    while (System.currentTimeMillis() < deadline) {
      try {
        last = scrape(url);
        if (condition.test(last)) {
          return last;
        }
      } catch (IOException notYetUp) {
        // the endpoint starts with the job
      }
      Thread.sleep(250);
    }
    throw new AssertionError("metrics page at " + url + " did not reach the expected state within " + timeout
        + "; last page:\n" + String.join("\n", last.entrySet().stream().map(Object::toString).toList()));
  }
}
