package io.pipelinepulse.testing;

import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.CrmChange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** Harnesses of the lifecycle operators, which get user changes in broadcast. */
public final class BroadcastHarness {

  private BroadcastHarness() {}

  public static <IN, B, OUT> KeyedBroadcastOperatorTestHarness<String, IN, B, OUT> open(
      KeyedBroadcastProcessFunction<String, IN, B, OUT> function, KeySelector<IN, String> key) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, IN, B, OUT> harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, key, Types.STRING, OwnerTeams.STATE);
    harness.open();
    return harness;
  }

  /**
   * Keyed state entries of every key (the broadcast harness does not count them itself), apart from
   * the remembered event ids, which outlive a record on purpose: see {@link #keysWithRememberedEventIds}.
   */
  public static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
    return backend(harness).numKeyValueStateEntries() - keysWithRememberedEventIds(harness);
  }

  /** How many keys remember event ids (the de-duplication memory, kept for its retention). */
  public static int keysWithRememberedEventIds(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
    try (java.util.stream.Stream<?> keys = backend(harness).getKeys("seen-event-ids", VoidNamespace.INSTANCE)) {
      return (int) keys.count();
    }
  }

  private static HeapKeyedStateBackend<?> backend(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
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
