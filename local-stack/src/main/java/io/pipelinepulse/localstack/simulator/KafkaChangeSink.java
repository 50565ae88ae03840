package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.CrmChange;
import java.util.Optional;

/** Publishes to the input topic exactly as a CRM connector would (see {@link ChangeProducer}). */
final class KafkaChangeSink implements ChangeSink {

  private final ChangeProducer producer;
  private final String description;
  private final String bootstrapServers;
  private final String topic;

  KafkaChangeSink(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producer = new ChangeProducer(bootstrapServers, topic, "pipeline-pulse-crm-simulator");
    this.description = "Kafka topic " + topic + " at " + bootstrapServers;
  }

  @Override
  public void accept(CrmChange change) {
    producer.send(change, null);
  }

  @Override
  public long delivered() {
    return producer.acknowledged();
  }

  @Override
  public Optional<String> failure() {
    return producer.fatalFailure().map(e -> {
      String hint = ChangeProducer.hint(e, bootstrapServers, topic);
      return "cannot publish to " + description + ": " + ChangeProducer.describe(e) + (hint.isEmpty() ? "" : "; " + hint);
    });
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    try {
      producer.flush();
    } finally {
      producer.close();
    }
  }

  long failed() {
    return producer.failed();
  }
}
