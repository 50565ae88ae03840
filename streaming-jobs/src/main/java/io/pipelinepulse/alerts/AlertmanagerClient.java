package io.pipelinepulse.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipelinepulse.schema.AlertEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Posts alerts to Alertmanager's v2 API ({@code POST /api/v2/alerts}). */
public final class AlertmanagerClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public AlertmanagerClient(String baseUrl) {
    this.endpoint = URI.create(baseUrl + "/api/v2/alerts");
  }

  /**
   * Posts the alerts in one request. An open alert carries {@code openUntil} as its end, so
   * Alertmanager keeps it active only while it is posted again; a resolved one its resolution time.
   *
   * @throws IOException when Alertmanager cannot be reached or refuses the request
   */
  public void post(List<AlertEvent> alerts, long openUntil) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(alerts, openUntil)))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("Alertmanager answered " + response.statusCode() + ": " + response.body());
    }
  }

  static String body(List<AlertEvent> alerts, long openUntil) {
    ArrayNode array = JSON.createArrayNode();
    for (AlertEvent alert : alerts) {
      ObjectNode node = array.addObject();
      ObjectNode labels = node.putObject("labels");
      labels.put("alertname", alert.getAlertName());
      for (Map.Entry<String, String> label : alert.getLabels().entrySet()) {
        labels.put(label.getKey(), label.getValue());
      }
      ObjectNode annotations = node.putObject("annotations");
      alert.getAnnotations().forEach(annotations::put);
      node.put("startsAt", Instant.ofEpochMilli(alert.getStartsAt()).toString());
      node.put("endsAt", Instant.ofEpochMilli(alert.getEndsAt() == null ? openUntil : alert.getEndsAt()).toString());
    }
    return array.toString();
  }
}
