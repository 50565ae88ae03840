package io.pipelinepulse.testing;

import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.FactSerializer;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.CrmChange;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** Harnesses of the lifecycle operators, which get user changes in broadcast. */
public final class BroadcastHarness {

  private BroadcastHarness() {}

  /** A record lifecycle's harness, its facts read back through the job's own serializer. */
  public static KeyedBroadcastOperatorTestHarness<String, IngestedChange, CrmChange, Fact> open(
      KeyedBroadcastProcessFunction<String, IngestedChange, CrmChange, Fact> function,
      KeySelector<IngestedChange, String> key) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, IngestedChange, CrmChange, Fact> harness =
        new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function, List.of(OwnerTeams.STATE)),
            key, Types.STRING, 1, 1, 0);
    harness.setup(FactSerializer.INSTANCE);
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
