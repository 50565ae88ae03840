package io.pipelinepulse.topics;

import io.pipelinepulse.config.PulseConfig.InputTopic;
import io.pipelinepulse.config.PulseConfig.KafkaSettings;
import io.pipelinepulse.config.PulseConfig.NewTopicSettings;
import io.pipelinepulse.config.PulseConfig.TopicLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every topic the job reads and writes, from its configuration, in the order the README lists them. */
public final class JobTopics {

  private JobTopics() {}

  public static List<JobTopic> of(KafkaSettings kafka) {
    NewTopicSettings settings = kafka.newTopics();
    List<JobTopic> topics = new ArrayList<>();
    Set<String> named = new LinkedHashSet<>();
    for (InputTopic input : kafka.inputs()) {
      add(topics, named, input.topic(), "input, " + input.format().configName(), settings.inputs(), settings);
    }
    add(topics, named, kafka.kpiTopic(), "KPI snapshots, kafka.topics.kpi", settings.kpi(), settings);
    add(topics, named, kafka.alertsTopic(), "alerts, kafka.topics.alerts", settings.alerts(), settings);
    add(topics, named, kafka.deadLetterTopic(), "dead letters, kafka.topics.dead-letter", settings.deadLetter(),
        settings);
    add(topics, named, kafka.reconciliationTopic(), "gap events, kafka.topics.reconciliation",
        settings.reconciliation(), settings);
    return List.copyOf(topics);
  }

  private static void add(List<JobTopic> topics, Set<String> named, String name, String role, TopicLayout layout,
      NewTopicSettings settings) {
    // Two outputs may share a topic: it is checked and created once, as the first names it.
    if (named.add(name)) {
      topics.add(new JobTopic(name, role, layout.partitions(), settings.replicationFactor(), layout.configs()));
    }
  }
}
