package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.CrmChange;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Publishes generated changes to a benchmark topic with the project's {@link ChangeProducer}, as
 * the simulator and the loader do. A figure measured on a topic that silently lacks changes would
 * mislead, so it fails unless every change was acknowledged.
 */
final class TopicFill {

  private TopicFill() {}

  /**
   * @param what what the changes are, for the progress lines ("open deals")
   * @param generator hands every change to the consumer it is given, in the order to send
   * @return how many changes were sent (and acknowledged)
   */
  static long publish(String bootstrapServers, String topic, String what, long expected,
      Consumer<Consumer<CrmChange>> generator, PrintStream log) {
    long[] nextReport = {System.nanoTime() + 5_000_000_000L};
    long[] sent = {0};
    try (ChangeProducer producer = new ChangeProducer(bootstrapServers, topic, "pulse-bench-" + topic)) {
      generator.accept(change -> {
        producer.send(change, null);
        sent[0]++;
        if ((sent[0] & 0x3ff) == 0) {
          if (producer.fatalFailure().isPresent()) {
            throw new IllegalStateException("cannot publish to " + topic + ": "
                + ChangeProducer.describe(producer.fatalFailure().get()));
          }
          if (System.nanoTime() > nextReport[0]) {
            nextReport[0] = System.nanoTime() + 5_000_000_000L;
            log.printf(Locale.ROOT, "  ... %,d of %,d %s sent%n", sent[0], expected, what);
          }
        }
      });
      producer.flush();
      if (producer.acknowledged() != sent[0]) {
        throw new IllegalStateException("only " + producer.acknowledged() + " of " + sent[0] + " " + what
            + " were acknowledged" + producer.fatalFailure().map(e -> ": " + ChangeProducer.describe(e)).orElse(""));
      }
      return sent[0];
    }
  }
}
