package io.pipelinepulse.localstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Prometheus's HTTP API on a loopback port. */
public final class PrometheusApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;

  public PrometheusApi(int port) {
    this.port = port;
  }

  /** GET of an API path; fails unless Prometheus answers 200. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** The result of an instant query: an array of series, empty when there is none. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
  }

  /** The result of a range query over the last {@code range}, a point every {@code step}. */
  public JsonNode queryRange(String promql, Duration range, Duration step) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() / 1000;
    return get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&start=" + (end - range.toSeconds()) + "&end=" + end + "&step=" + step.toSeconds())
        .path("data").path("result");
  }
}
