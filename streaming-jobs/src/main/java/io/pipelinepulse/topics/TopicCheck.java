package io.pipelinepulse.topics;

import io.pipelinepulse.config.PulseConfig.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every topic of the job exists before the job reads or writes: creates the missing
 * ones when {@code kafka.create-topics} is true, otherwise fails naming them all. A sink never
 * relies on the broker creating its topic on first write: an idempotent producer writing to a
 * partition that is still being created can have a later batch land first and then retry the
 * earlier one until its delivery timeout (KAFKA-15591), and the job restarts.
 */
public final class TopicCheck {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** What the check found: the topics that were there and those it created. */
  public record Result(List<JobTopic> existing, List<JobTopic> created) {}

  private TopicCheck() {}

  /** Checks (and with {@code kafka.create-topics}, creates) every topic the configuration names. */
  public static Result ensure(KafkaSettings kafka) {
    return ensure(kafka, kafka.createTopics(), DEFAULT_TIMEOUT);
  }

  /** As {@link #ensure(KafkaSettings)}, creating missing topics when {@code create} is true. */
  public static Result ensure(KafkaSettings kafka, boolean create, Duration timeout) {
    try (Admin admin = Admin.create(adminProperties(kafka, timeout))) {
      Result result = ensure(admin, JobTopics.of(kafka), create, kafka.bootstrapServers(), timeout);
      if (result.created().isEmpty()) {
        LOG.info("all {} topics of the job exist: {}", result.existing().size(), result.existing());
      } else {
        LOG.info("created the missing topics {}; these existed: {}", result.created(), result.existing());
      }
      return result;
    }
  }

  static Map<String, Object> adminProperties(KafkaSettings kafka, Duration timeout) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.groupId() + "-topic-check");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    return properties;
  }

  static Result ensure(Admin admin, List<JobTopic> topics, boolean create, String servers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JobTopic> existing = new ArrayList<>();
    List<JobTopic> missing = new ArrayList<>();
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
        topics.stream().map(JobTopic::name).toList()).topicNameValues();
    for (JobTopic topic : topics) {
      try {
        await(described.get(topic.name()), deadline);
        existing.add(topic);
      } catch (UnknownTopicOrPartitionException e) {
        missing.add(topic);
      } catch (AuthorizationException e) {
        throw new TopicSetupException("the job may not describe topic " + topic + " on " + servers
            + ": grant its principal DESCRIBE on the topic (the README lists the ACLs the job needs)", e);
      } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
        throw new TopicSetupException("no Kafka broker at " + servers + " (kafka.bootstrap-servers) answered within "
            + timeout.toSeconds() + " s", e);
      } catch (RuntimeException e) {
        throw new TopicSetupException("cannot describe topic " + topic + " on " + servers + ": " + e.getMessage(), e);
      }
    }
    if (missing.isEmpty()) {
      return new Result(List.copyOf(existing), List.of());
    }
    if (!create) {
      throw new TopicSetupException(missing.size() + " of the job's topics do not exist on " + servers + ": "
          + missing.stream().map(JobTopic::toString).collect(Collectors.joining(", "))
          + ". Create them (the README lists each topic and its settings), or set kafka.create-topics: true to let"
          + " the job create them.");
    }
    create(admin, missing, servers, deadline, timeout);
    awaitLeaders(admin, missing, servers, deadline, timeout);
    return new Result(List.copyOf(existing), List.copyOf(missing));
  }

  private static void create(Admin admin, List<JobTopic> missing, String servers, long deadline, Duration timeout) {
    List<NewTopic> requests = new ArrayList<>();
    for (JobTopic topic : missing) {
      Optional<Short> replication = topic.replicationFactor() < 0 ? Optional.empty()
          : Optional.of((short) topic.replicationFactor());
      requests.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), replication).configs(topic.configs()));
    }
    Map<String, KafkaFuture<Void>> results = admin.createTopics(requests).values();
    for (JobTopic topic : missing) {
      try {
        await(results.get(topic.name()), deadline);
      } catch (TopicExistsException createdMeanwhile) {
        // another instance or an operator created it first: it exists, as required
      } catch (AuthorizationException e) {
        throw new TopicSetupException("the job may not create topic " + topic + " on " + servers
            + ": create it beforehand, or grant the job's principal CREATE (kafka.create-topics is true)", e);
      } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
        throw new TopicSetupException("creating topic " + topic + " on " + servers + " did not finish within "
            + timeout.toSeconds() + " s", e);
      } catch (RuntimeException e) {
        throw new TopicSetupException("cannot create topic " + topic + " on " + servers + " with " + topic.partitions()
            + " partitions, replication factor " + (topic.replicationFactor() < 0 ? "(broker default)"
            : topic.replicationFactor()) + " and configs " + topic.configs() + " (kafka.new-topics): " + e.getMessage(), e);
      }
    }
  }

  /**
   * A created topic is ready when every partition has a leader: only then does a producer's first
   * batch meet a partition the broker has applied.
   */
  private static void awaitLeaders(Admin admin, List<JobTopic> created, String servers, long deadline,
      Duration timeout) {
    List<String> names = created.stream().map(JobTopic::name).toList();
    while (true) {
      List<String> notReady = new ArrayList<>();
      Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(names).topicNameValues();
      for (String name : names) {
        try {
          TopicDescription description = await(described.get(name), deadline);
          if (description.partitions().isEmpty()
              || description.partitions().stream().map(TopicPartitionInfo::leader).anyMatch(leader -> leader == null)) {
            notReady.add(name);
          }
        } catch (UnknownTopicOrPartitionException stillPropagating) {
          notReady.add(name);
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
          notReady.add(name);
        }
      }
      if (notReady.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TopicSetupException("the topics " + notReady + " were created on " + servers
            + " but have no leader for every partition after " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicSetupException("interrupted while waiting for the topics " + notReady, e);
      }
    }
  }

  /** The future's value; its failure's cause rethrown as it is (Kafka's errors are unchecked). */
  private static <T> T await(KafkaFuture<T> future, long deadline) throws TimeoutException {
    try {
      return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new TopicSetupException(String.valueOf(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicSetupException("interrupted while talking to Kafka", e);
    }
  }
}
