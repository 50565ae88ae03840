package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The job's whole configuration, validated. Built by {@link PulseConfigLoader}. */
public record PulseConfig(
    KafkaSettings kafka,
    ClockSettings clock,
    InputLimits input,
    DeadLetterSettings deadLetters,
    Duration dedupRetention,
    JobSettings job,
    MetricsSettings metrics,
    CurrencyRates currency,
    PipelineCatalog pipelines,
    DealRules deals,
    LeadRules leads,
    UserDirectory directory,
    AlertSettings alerts,
    DebeziumTables debezium,
    SalesforceSettings salesforce,
    HubSpotSettings hubspot)
    implements Serializable {

  /**
   * What a dead letter keeps of the refused value: at most {@code maxValueBytes} of it (always its
   * size and hash); without {@code includeValues}, neither the value, nor the key, nor the detail
   * (which may quote a field).
   */
  public record DeadLetterSettings(int maxValueBytes, boolean includeValues) implements Serializable {}

  /** How HubSpot webhook events map to canonical changes: pipeline ids and lead statuses. */
  public record HubSpotSettings(Map<String, String> pipelines, Map<String, String> leadStatuses,
      List<String> convertedLifecycleStages) implements Serializable {}

  /** How Salesforce Change Data Capture events map to canonical changes. */
  public record SalesforceSettings(String userTeamField) implements Serializable {}

  /** One input topic and the format of its records. */
  public record InputTopic(String topic, InputFormat format) implements Serializable {}

  /** Where the job reads and writes. */
  public record KafkaSettings(
      String bootstrapServers,
      String groupId,
      StartingOffsets startingOffsets,
      List<InputTopic> inputs,
      String kpiTopic,
      String alertsTopic,
      String deadLetterTopic,
      String reconciliationTopic,
      boolean createTopics,
      NewTopicSettings newTopics)
      implements Serializable {}

  /**
   * How the job creates a missing topic ({@code kafka.create-topics}): the replication factor of
   * all (-1: the broker's default) and, per kind of topic, partitions and topic configs.
   */
  public record NewTopicSettings(int replicationFactor, TopicLayout inputs, TopicLayout kpi, TopicLayout alerts,
      TopicLayout deadLetter, TopicLayout reconciliation) implements Serializable {}

  /** Partitions and topic-level configs (Kafka's names, e.g. cleanup.policy) of a topic to create. */
  public record TopicLayout(int partitions, Map<String, String> configs) implements Serializable {}

  /** How the job's event-time clock follows commit times and the wall clock. */
  public record ClockSettings(Duration outOfOrderness, Duration idleTimeout, Duration backlogIdleTimeout,
      Duration currentStateStep) implements Serializable {}

  public record JobSettings(int parallelism, Duration checkpointInterval, int webUiPort, RestartSettings restarts)
      implements Serializable {}

  /**
   * How Flink restarts the job after a failure: after {@code initialBackoff}, twice as long after
   * each further failure up to {@code maxBackoff}; {@code attempts} failures with less than
   * {@code resetAfter} of running between them fail the job for good.
   */
  public record RestartSettings(int attempts, Duration initialBackoff, Duration maxBackoff, Duration resetAfter)
      implements Serializable {}

  /**
   * Where the job serves its KPIs ({@code port}) and, run embedded, Flink's own metrics
   * ({@code flinkPort}, 0: not served), both on {@code host}.
   */
  public record MetricsSettings(String host, int port, int flinkPort) implements Serializable {}

  /**
   * Per-record alerts: where they are posted (an empty URL: only to the alerts topic), the links
   * they carry ({@code {id}} and {@code {alertname}} are filled in), how often open ones are posted
   * again, and how close to the wall clock "now" must be before any is posted.
   */
  public record AlertSettings(
      String alertmanagerUrl,
      String recordUrl,
      String runbookUrl,
      Duration repeatInterval,
      Duration liveWithin,
      boolean includeNames)
      implements Serializable {

    public boolean postsToAlertmanager() {
      return !alertmanagerUrl.isEmpty();
    }

    public String recordUrl(String recordId) {
      return recordUrl.replace("{id}", recordId);
    }

    public String runbookUrl(String alertName) {
      return runbookUrl.replace("{alertname}", alertName);
    }
  }

  public enum StartingOffsets {
    EARLIEST,
    LATEST,
    COMMITTED
  }

  /** Supported input formats, by their configuration name. */
  public enum InputFormat {
    CANONICAL("canonical"),
    DEBEZIUM("debezium"),
    SALESFORCE_CDC("salesforce-cdc"),
    HUBSPOT("hubspot");

    private final String configName;

    InputFormat(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static InputFormat byConfigName(String name) {
      for (InputFormat format : values()) {
        if (format.configName.equals(name)) {
          return format;
        }
      }
      return null;
    }
  }

  /** Ids of the teams' users, for {@link UserDirectory}. */
  public record DirectoryEntry(String team, String manager) implements Serializable {}

  /** Owner id to team and manager, as configured. */
  public record UserDirectory(Map<String, DirectoryEntry> users) implements Serializable {
    public String teamOf(String userId) {
      DirectoryEntry entry = users.get(userId);
      return entry == null ? null : entry.team();
    }
  }
}
