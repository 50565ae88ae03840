package io.pipelinepulse.ingest;

import io.pipelinepulse.batching.BatchingOperator;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to an operator that decides input outcomes: adds them up per counter and passes on one
 * outcome with its count per counter and interval, so counting costs the job a record per counter
 * and interval on the network, not one per change.
 *
 * <p>Holds nothing across a checkpoint: it passes everything on before each barrier (and at the end
 * of input), so the counts downstream stay exact across a restore.
 */
public final class OutcomeTally extends BatchingOperator<InputOutcome, InputOutcome> {

  /** A counter's labels: the parts of an outcome's key, without building its text per change. */
  private record Counter(String format, String entity, String outcome) {}

  private transient Map<Counter, InputOutcome> tallies;

  public OutcomeTally(long flushIntervalMillis) {
    super(flushIntervalMillis);
  }

  @Override
  protected void openBatch() {
    tallies = new HashMap<>();
  }

  @Override
  public void processElement(StreamRecord<InputOutcome> element) {
    InputOutcome outcome = element.getValue();
    Counter counter = new Counter(outcome.format, outcome.entity, outcome.outcome);
    InputOutcome tally = tallies.get(counter);
    if (tally == null) {
      tallies.put(counter, new InputOutcome(outcome.format, outcome.entity, outcome.outcome, outcome.count));
    } else {
      tally.count += outcome.count;
    }
  }

  @Override
  protected void flush() {
    for (InputOutcome tally : tallies.values()) {
      output.collect(new StreamRecord<>(tally));
    }
    tallies.clear();
  }
}
