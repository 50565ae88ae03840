package io.pipelinepulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Receives Alertmanager's webhook notifications on 127.0.0.1 and keeps them by path. */
public final class WebhookReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One notification: the receiver path it arrived on and its body. */
  public record Notification(String path, JsonNode body) {

    /** "status alertname id" for every alert in it, e.g. "firing DealStalled D1". */
    public List<String> alerts() {
      List<String> lines = new ArrayList<>();
      for (JsonNode alert : body.get("alerts")) {
        JsonNode labels = alert.get("labels");
        String id = labels.has("deal_id") ? labels.get("deal_id").asText() : labels.path("lead_id").asText();
        lines.add(alert.get("status").asText() + " " + labels.get("alertname").asText() + " " + id);
      }
      return lines;
    }
  }

  private final HttpServer server;
  private final List<Notification> received = new CopyOnWriteArrayList<>();

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        received.add(new Notification(exchange.getRequestURI().getPath(), body));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Notification> received() {
    return List.copyOf(received);
  }

  /** Every "path: status alertname id" line received so far. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Notification notification : received) {
      for (String alert : notification.alerts()) {
        lines.add(notification.path() + ": " + alert);
      }
    }
    return lines;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
