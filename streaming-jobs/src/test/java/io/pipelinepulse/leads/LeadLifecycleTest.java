package io.pipelinepulse.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.testing.Changes;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lead's life: touch, breach on the clock, resolution, and nothing left behind. */
class LeadLifecycleTest {

  private static final long T = 1_700_000_000_000L;
  private static final long MINUTE = 60_000L;
  private KeyedOneInputStreamOperatorTestHarness<String, CrmChange, DealFact> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new LeadLifecycle(PulseConfigLoader.fromYaml(
            "leads:\n  response-sla-by-source:\n    Web: 30m\n").leads())),
        LeadLifecycle::keyOf, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(CrmChange change) throws Exception {
    harness.processElement(change, change.getCommitTime());
  }

  private void created(long time, String source) throws Exception {
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.CREATE, time, "status", "Open - Not Contacted",
        "leadSource", source, "ownerId", "u1"));
  }

  private List<String> facts() {
    List<String> lines = harness.extractOutputValues().stream()
        .map(f -> String.format(Locale.ROOT, "%s +%dm %s %+d", f.kind, (f.time - T) / MINUTE, f.stage, f.countDelta)
            + (f.kind == DealFact.Kind.LEAD_TOUCHED ? " response=" + f.cycleMillis / MINUTE + "m" : "")
            + (f.kind == DealFact.Kind.LEAD_RESOLVED ? (f.won ? " converted" : " disqualified") : ""))
        .toList();
    harness.getOutput().clear();
    return lines;
  }

  @Test
  void anUntouchedLeadBreachesWhenTheClockPassesItsSourcesSlaWithNoFurtherInput() throws Exception {
    created(T, "Web");
    harness.processWatermark(T + 30 * MINUTE - 1);
    assertThat(facts()).containsExactly("AWAITING_DELTA +0m Web +1");
    harness.processWatermark(T + 30 * MINUTE);
    assertThat(facts()).containsExactly("LEAD_BREACH +30m Web +1");
  }

  @Test
  void anActivityOwnedByAPersonIsTheFirstTouchAndPreventsTheBreach() throws Exception {
    created(T, "Partner Referral");
    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 5 * MINUTE, "leadId", "00Q1"));
    send(Changes.change(Entity.ACTIVITY, "00T2", ChangeType.CREATE, T + 7 * MINUTE, "leadId", "00Q1",
        "ownerId", "u1"));
    harness.processWatermark(T + 2 * 60 * MINUTE);
    assertThat(facts()).containsExactly("AWAITING_DELTA +0m Partner Referral +1",
        "LEAD_TOUCHED +7m Partner Referral +1 response=7m", "AWAITING_DELTA +7m Partner Referral -1");
  }

  @Test
  void conversionTouchesResolvesAndLeavesNoStateOrTimer() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 10 * MINUTE, "status", "Closed - Converted",
        "converted", true));
    harness.processWatermark(T + 10 * MINUTE);
    assertThat(facts()).containsExactly("AWAITING_DELTA +0m Web +1", "LEAD_TOUCHED +10m Web +1 response=10m",
        "AWAITING_DELTA +10m Web -1", "LEAD_RESOLVED +10m Web +1 converted");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aDeletedLeadStopsAwaitingAndLeavesNoStateOrTimer() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.DELETE, T + MINUTE));
    harness.processWatermark(T + MINUTE);
    assertThat(facts()).containsExactly("AWAITING_DELTA +0m Web +1", "AWAITING_DELTA +1m Web -1");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
