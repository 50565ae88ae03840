package io.pipelinepulse.testing;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.FactSerializer;
import io.pipelinepulse.ingest.DeadLetters;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.lifecycle.RecordLifecycle;
import io.pipelinepulse.lifecycle.RecordLifecycleOperator;
import io.pipelinepulse.schema.CrmChange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * A record lifecycle in its operator, as the job runs it: changes keyed by record on the first
 * input, user changes in broadcast on the second, facts read back through the job's serializer.
 */
public final class LifecycleHarness
    extends KeyedTwoInputStreamOperatorTestHarness<String, IngestedChange, CrmChange, Fact> {

  private LifecycleHarness(RecordLifecycleOperator operator, KeySelector<IngestedChange, String> key)
      throws Exception {
    super(operator, key, null, Types.STRING);
  }

  private LifecycleHarness(RecordLifecycleOperator operator, KeySelector<IngestedChange, String> key,
      int maxParallelism, int parallelism, int subtask) throws Exception {
    super(operator, key, null, Types.STRING, maxParallelism, parallelism, subtask);
  }

  /**
   * Subtask {@code subtask} of {@code parallelism}, restored from {@code snapshot} (null: started
   * afresh); a snapshot of other subtasks or another parallelism is repartitioned first.
   */
  public static LifecycleHarness subtask(RecordLifecycle lifecycle, KeySelector<IngestedChange, String> key,
      PulseConfig config, int maxParallelism, int parallelism, int subtask, OperatorSubtaskState snapshot)
      throws Exception {
    LifecycleHarness harness = new LifecycleHarness(
        new RecordLifecycleOperator(lifecycle, config.directory(), config.dedupRetention(),
            new DeadLetters(config.deadLetters())), key, maxParallelism,
        parallelism, subtask);
    harness.setup(FactSerializer.INSTANCE);
    if (snapshot != null) {
      harness.initializeState(snapshot);
    }
    harness.open();
    return harness;
  }

  public static LifecycleHarness open(RecordLifecycle lifecycle, KeySelector<IngestedChange, String> key,
      PulseConfig config) throws Exception {
    LifecycleHarness harness = new LifecycleHarness(
        new RecordLifecycleOperator(lifecycle, config.directory(), config.dedupRetention(),
            new DeadLetters(config.deadLetters())), key);
    harness.setup(FactSerializer.INSTANCE);
    harness.open();
    return harness;
  }

  /** The same lifecycle restored from {@code snapshot}, as after a failure or from a savepoint. */
  public static LifecycleHarness restore(RecordLifecycle lifecycle, KeySelector<IngestedChange, String> key,
      PulseConfig config, OperatorSubtaskState snapshot) throws Exception {
    LifecycleHarness harness = new LifecycleHarness(
        new RecordLifecycleOperator(lifecycle, config.directory(), config.dedupRetention(),
            new DeadLetters(config.deadLetters())), key);
    harness.setup(FactSerializer.INSTANCE);
    harness.initializeState(snapshot);
    harness.open();
    return harness;
  }

  /** A change of a record arriving at its commit time. */
  public void processElement(IngestedChange record, long timestamp) throws Exception {
    processElement1(new StreamRecord<>(record, timestamp));
  }

  /** A user change, which every record sees. */
  public void processBroadcastElement(CrmChange userChange, long timestamp) throws Exception {
    processElement2(new StreamRecord<>(userChange, timestamp));
  }

  /** The job's clock reaches {@code time} on both inputs. */
  public void watermark(long time) throws Exception {
    processBothWatermarks(new Watermark(time));
  }

  /**
   * Keyed state entries of every key, apart from the remembered event ids, which outlive a record
   * on purpose: see {@link #keysWithRememberedEventIds}.
   */
  public static int keyedStateEntries(LifecycleHarness harness) {
    return backend(harness).numKeyValueStateEntries() - keysWithRememberedEventIds(harness);
  }

  /** How many keys remember event ids (the de-duplication memory, kept for its retention). */
  public static int keysWithRememberedEventIds(LifecycleHarness harness) {
    try (java.util.stream.Stream<?> keys = backend(harness).getKeys("seen-event-ids", VoidNamespace.INSTANCE)) {
      return (int) keys.count();
    }
  }

  private static HeapKeyedStateBackend<?> backend(LifecycleHarness harness) {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
    return (HeapKeyedStateBackend<?>) operator.getKeyedStateBackend();
  }

  /** A change as the source reads it from a canonical topic. */
  public static IngestedChange ingested(CrmChange change) {
    IngestedChange record = new IngestedChange();
    record.change = change;
    record.format = "canonical";
    record.topic = "crm.changes";
    return record;
  }
}
