package io.pipelinepulse.localstack.topics;

import io.pipelinepulse.config.ConfigException;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Waits for the broker of the configuration and creates the job's topics that do not exist yet:
 * input topics with several partitions (so the job reads them in parallel), output topics too.
 * Input topics keep their records forever, so the local job can replay them after a restart.
 */
public final class TopicSetupMain {

  private TopicSetupMain() {}

  public static void main(String[] args) throws Exception {
    List<Path> configs = new ArrayList<>();
    int partitions = 4;
    Duration wait = Duration.ofSeconds(60);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configs.add(Path.of(value(args, ++i, "--config")));
        case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, "--partitions"));
        case "--wait-seconds" -> wait = Duration.ofSeconds(Long.parseLong(value(args, ++i, "--wait-seconds")));
        default -> exit("unknown option " + args[i] + " (usage: TopicSetupMain [--config FILE]... [--partitions N]"
            + " [--wait-seconds N])");
      }
    }
    PulseConfig config;
    try {
      config = PulseConfigLoader.load(configs);
    } catch (ConfigException e) {
      exit(e.getMessage());
      return;
    }
    Map<String, Integer> wanted = new LinkedHashMap<>();
    final int inputPartitions = partitions;
    config.kafka().inputs().forEach(input -> wanted.put(input.topic(), inputPartitions));
    wanted.putIfAbsent(config.kafka().kpiTopic(), 2);
    wanted.putIfAbsent(config.kafka().alertsTopic(), 2);
    wanted.putIfAbsent(config.kafka().deadLetterTopic(), 2);
    wanted.putIfAbsent(config.kafka().reconciliationTopic(), 1);
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
      Set<String> existing = awaitBroker(admin, config.kafka().bootstrapServers(), wait);
      List<NewTopic> missing = new ArrayList<>();
      wanted.forEach((topic, count) -> {
        if (!existing.contains(topic)) {
          NewTopic newTopic = new NewTopic(topic, count, (short) 1);
          if (config.kafka().inputs().stream().anyMatch(input -> input.topic().equals(topic))) {
            newTopic.configs(Map.of("retention.ms", "-1"));
          }
          missing.add(newTopic);
        }
      });
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
      System.out.println("first-input-topic " + config.kafka().inputs().get(0).topic());
      System.out.println("topics ready: " + wanted.keySet() + (missing.isEmpty() ? " (all existed)"
          : " (created " + missing.stream().map(NewTopic::name).toList() + ")"));
    }
  }

  private static Set<String> awaitBroker(Admin admin, String servers, Duration wait) throws InterruptedException {
    long deadline = System.currentTimeMillis() + wait.toMillis();
    while (true) {
      try {
        return admin.listTopics().names().get();
      } catch (ExecutionException e) {
        if (System.currentTimeMillis() > deadline) {
          exit("the Kafka broker at " + servers + " did not answer within " + wait.toSeconds() + " s: "
              + e.getCause().getMessage());
        }
        Thread.sleep(500);
      }
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      exit(option + " needs a value");
    }
    return args[i];
  }

  private static void exit(String message) {
    System.err.println("topic setup: " + message);
    System.exit(2);
  }
}
