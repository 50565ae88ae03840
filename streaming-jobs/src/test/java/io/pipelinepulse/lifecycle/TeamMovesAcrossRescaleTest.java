package io.pipelinepulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.deals.OpportunityLifecycle;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.testing.Changes;
import io.pipelinepulse.testing.LifecycleHarness;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * An owner's team move that one subtask had made at a checkpoint and the other had not: after the
 * job is restored at another parallelism, each record has moved exactly once.
 */
class TeamMovesAcrossRescaleTest {

  private static final long T = 1_767_607_200_000L;
  private static final long SECOND = 1_000L;
  private static final long DAY = 86_400_000L;
  private static final int MAX_PARALLELISM = 128;

  private final PulseConfig config = PulseConfigLoader.defaults();

  private LifecycleHarness subtask(int parallelism, int index, OperatorSubtaskState snapshot) throws Exception {
    return LifecycleHarness.subtask(new OpportunityLifecycle(config.pipelines(), config.currency(), config.deals(),
        config.alerts()), record -> OpportunityLifecycle.keyOf(record.change), config, MAX_PARALLELISM,
        parallelism, index, snapshot);
  }

  /** A deal id that subtask {@code index} of two holds. */
  private static String dealOf(int index) {
    for (int i = 0; ; i++) {
      String id = "006" + i;
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, 2) == index) {
        return id;
      }
    }
  }

  private static void userChanges(LifecycleHarness harness) throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 10 * SECOND, "team", "North"),
        T + 10 * SECOND);
  }

  private static void create(LifecycleHarness harness, String deal) throws Exception {
    CrmChange change = Changes.opportunity(deal, ChangeType.CREATE, T, "stage", "Qualification", "amount", 100.0,
        "ownerId", "u1");
    harness.processElement(LifecycleHarness.ingested(change), T);
  }

  private static List<String> moves(LifecycleHarness harness) {
    return harness.extractOutputValues().stream().filter(f -> f instanceof OpenDealDelta).map(f -> (OpenDealDelta) f)
        .map(f -> String.format(Locale.ROOT, "+%ds %s %s %+d", (f.time() - T) / SECOND, f.state(), f.team(),
            f.count()))
        .toList();
  }

  @Test
  void aMoveOneSubtaskHadMadeIsNotMadeAgainAndTheOtherSubtasksRecordsStillMove() throws Exception {
    LifecycleHarness ahead = subtask(2, 0, null);
    LifecycleHarness behind = subtask(2, 1, null);
    userChanges(ahead);
    userChanges(behind);
    create(ahead, dealOf(0));
    create(behind, dealOf(1));
    ahead.watermark(T + 10 * SECOND);
    behind.watermark(T + 5 * SECOND);
    assertThat(moves(ahead)).containsExactly("+0s OPEN East +1", "+10s OPEN East -1", "+10s OPEN North +1");
    assertThat(moves(behind)).containsExactly("+0s OPEN East +1");
    OperatorSubtaskState snapshot = AbstractStreamOperatorTestHarness.repackageState(
        ahead.snapshot(1L, 1L), behind.snapshot(1L, 1L));
    ahead.close();
    behind.close();

    LifecycleHarness restored = subtask(1, 0,
        AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 2, 1, 0));
    restored.watermark(T + 20 * SECOND);
    assertThat(moves(restored)).as("only the deal whose subtask was behind moves, once")
        .containsExactly("+10s OPEN East -1", "+10s OPEN North +1");
    restored.close();
  }
}
