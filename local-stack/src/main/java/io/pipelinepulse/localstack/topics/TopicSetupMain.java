package io.pipelinepulse.localstack.topics;

import io.pipelinepulse.config.ConfigException;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.topics.JobTopic;
import io.pipelinepulse.topics.TopicCheck;
import io.pipelinepulse.topics.TopicSetupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for the broker of the configuration and creates the job's topics that do not exist yet,
 * with the configuration's {@code kafka.new-topics} settings (the same the job itself would use),
 * before the simulator writes its first change.
 */
public final class TopicSetupMain {

  private TopicSetupMain() {}

  public static void main(String[] args) {
    List<Path> configs = new ArrayList<>();
    Duration wait = Duration.ofSeconds(60);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configs.add(Path.of(value(args, ++i, "--config")));
        case "--wait-seconds" -> wait = Duration.ofSeconds(Long.parseLong(value(args, ++i, "--wait-seconds")));
        default -> exit("unknown option " + args[i] + " (usage: TopicSetupMain [--config FILE]... [--wait-seconds N])");
      }
    }
    PulseConfig config;
    try {
      config = PulseConfigLoader.load(configs);
    } catch (ConfigException e) {
      exit(e.getMessage());
      return;
    }
    TopicCheck.Result result;
    try {
      result = TopicCheck.ensure(config.kafka(), true, wait);
    } catch (TopicSetupException e) {
      exit(e.getMessage());
      return;
    }
    System.out.println("first-input-topic " + config.kafka().inputs().get(0).topic());
    List<JobTopic> all = new ArrayList<>(result.existing());
    all.addAll(result.created());
    System.out.println("topics ready: " + names(all)
        + (result.created().isEmpty() ? " (all existed)" : " (created " + names(result.created()) + ")"));
    System.exit(0);
  }

  private static List<String> names(List<JobTopic> topics) {
    return topics.stream().map(JobTopic::name).toList();
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
