package io.pipelinepulse.localstack.load;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.CrmChange;
import java.util.Optional;

/** Where loaded changes go; Kafka in production ({@link #kafka}), anything in a test. */
public interface ChangePublisher {

  /** Sends one change; {@code outcome} is told once, on success or failure, possibly on another thread. */
  void send(CrmChange change, ChangeProducer.Outcome outcome);

  /** A failure after which sending more is pointless (broker unreachable, not authorised). */
  Optional<Exception> fatalFailure();

  /** Waits until every change sent so far has been acknowledged or has failed. */
  void flush();

  static ChangePublisher kafka(ChangeProducer producer) {
    return new ChangePublisher() {
      @Override
      public void send(CrmChange change, ChangeProducer.Outcome outcome) {
        producer.send(change, outcome);
      }

      @Override
      public Optional<Exception> fatalFailure() {
        return producer.fatalFailure();
      }

      @Override
      public void flush() {
        producer.flush();
      }
    };
  }
}
