package io.pipelinepulse.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager (the Debian package's binary) on a loopback port with its own data folder,
 * clustering off; stopped by its process, and startable again on the same port and data.
 */
public final class AlertmanagerServer implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final int port;
  private Process process;

  private AlertmanagerServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts Alertmanager with {@code configYaml} in {@code dir}, ready to take alerts. */
  public static AlertmanagerServer start(Path dir, String configYaml) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("alertmanager.yml"), configYaml, StandardCharsets.UTF_8);
    AlertmanagerServer server = new AlertmanagerServer(dir, PulseJobRunner.freePort());
    server.start();
    return server;
  }

  public static String binary() {
    for (String candidate : List.of("/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    throw new IllegalStateException("Alertmanager is not installed: install the Debian package prometheus-alertmanager"
        + " (.ci/run does)");
  }

  public void start() throws Exception {
    process = new ProcessBuilder(binary(),
        "--config.file=" + dir.resolve("alertmanager.yml"),
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("alertmanager.log").toFile()))
        .start();
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Alertmanager exited with " + process.exitValue() + "; see "
            + dir.resolve("alertmanager.log"));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Alertmanager not ready after 20 s; see " + dir.resolve("alertmanager.log"));
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
