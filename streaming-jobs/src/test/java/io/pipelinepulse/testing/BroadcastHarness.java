package io.pipelinepulse.testing;

import io.pipelinepulse.directory.OwnerTeams;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** Harnesses of the lifecycle operators, which get user changes in broadcast. */
public final class BroadcastHarness {

  private BroadcastHarness() {}

  public static <IN, OUT> KeyedBroadcastOperatorTestHarness<String, IN, IN, OUT> open(
      KeyedBroadcastProcessFunction<String, IN, IN, OUT> function, KeySelector<IN, String> key) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, IN, IN, OUT> harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, key, Types.STRING, OwnerTeams.STATE);
    harness.open();
    return harness;
  }

  /** Keyed state entries of every key (the broadcast harness does not count them itself). */
  public static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
    return ((HeapKeyedStateBackend<?>) operator.getKeyedStateBackend()).numKeyValueStateEntries();
  }
}
