package io.pipelinepulse.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * local-stack/docker-compose.yml, for users with Docker: valid YAML whose mounts name files of the
 * repository that exist (or the jars the build makes), every service it depends on defined, ports
 * published on 127.0.0.1 only, and a job configuration the job accepts. Where a Docker client with
 * the compose plugin exists, {@code docker compose config} must accept the file too.
 */
class DockerComposeFileTest {

  private static final Path STACK = Path.of(System.getProperty("user.dir"));
  private static final Path COMPOSE = STACK.resolve("docker-compose.yml");
  private static final Set<String> SERVICES =
      Set.of("kafka", "jobmanager", "taskmanager", "simulator", "prometheus", "alertmanager", "grafana");

  private final JsonNode compose;

  DockerComposeFileTest() throws Exception {
    compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
  }

  @Test
  void definesEveryPartOfTheStack() {
    Set<String> services = new HashSet<>();
    compose.path("services").fieldNames().forEachRemaining(services::add);
    assertThat(services).containsExactlyInAnyOrderElementsOf(SERVICES);
    for (Iterator<String> names = compose.path("services").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode dependsOn = compose.path("services").path(name).path("depends_on");
      List<String> needed = new ArrayList<>();
      if (dependsOn.isArray()) {
        dependsOn.forEach(d -> needed.add(d.asText()));
      } else {
        dependsOn.fieldNames().forEachRemaining(needed::add);
      }
      assertThat(needed).as("%s depends on", name).allMatch(SERVICES::contains);
    }
  }

  @Test
  void everyMountNamesAFileOfTheRepositoryOrAJarOfTheBuild() {
    List<String> missing = new ArrayList<>();
    Set<String> mounted = new HashSet<>();
    compose.path("services").forEach(service -> service.path("volumes").forEach(volume -> {
      String source = volume.asText().split(":")[0];
      if (source.startsWith(".")) {
        Path path = STACK.resolve(source).normalize();
        mounted.add(STACK.getParent().relativize(path).toString());
        boolean buildOutput = path.toString().contains("/target/");
        if (!buildOutput && !Files.exists(path)) {
          missing.add(source);
        }
        if (buildOutput) {
          assertThat(path.getFileName().toString()).as(source).matches("lib|local-stack-.*\\.jar|streaming-jobs-.*-flink-job\\.jar");
        }
      }
    }));
    assertThat(missing).isEmpty();
    assertThat(mounted).contains("grafana/provisioning", "grafana/dashboards", "alerting/prometheus/pulse-rules.yml",
        "alerting/alertmanager/alertmanager.yml", "local-stack/docker/prometheus.yml", "local-stack/docker/pulse.yaml");
  }

  @Test
  void publishesPortsOnTheLoopbackOnly() {
    compose.path("services").forEach(service -> service.path("ports").forEach(port ->
        assertThat(port.asText()).startsWith("127.0.0.1:")));
  }

  @Test
  void theJobConfigurationOfTheContainersIsValid() {
    PulseConfig config = PulseConfigLoader.load(STACK.resolve("docker/pulse.yaml"));
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.metrics().port()).isEqualTo(9250);
  }

  @Test
  void dockerComposeAcceptsTheFileWhereItExists() throws Exception {
    // Compose v2 (the Docker client's plugin) or v1 (Debian's docker-compose): both read the file
    // without a Docker engine.
    for (List<String> compose : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      if (!runs(compose, "version")) {
        continue;
      }
      List<String> command = new ArrayList<>(compose);
      command.addAll(List.of("-f", COMPOSE.toString(), "config", "--quiet"));
      Process config = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(config.getInputStream().readAllBytes());
      assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(config.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
      return;
    }
  }

  private static boolean runs(List<String> command, String argument) throws InterruptedException {
    List<String> full = new ArrayList<>(command);
    full.add(argument);
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (java.io.IOException notInstalled) {
      return false;
    }
  }
}
