package io.pipelinepulse.deals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.facts.CloseDatePush;
import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.facts.StageExit;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.testing.Changes;
import io.pipelinepulse.testing.LifecycleHarness;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-deal lifecycle on the operator harness: commit-time order, stage exits, open-pipeline
 * deltas, and that a closed or long-deleted deal leaves no state and no timers behind.
 */
class OpportunityLifecycleTest {

  private static final long T = 1_767_607_200_000L; // 2026-01-05T10:00:00Z
  private static final long SECOND = 1_000L;
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final long RETENTION = OpportunityLifecycle.DELETED_RETENTION.toMillis();

  private final PulseConfig config = PulseConfigLoader.defaults();
  private LifecycleHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = LifecycleHarness.open(new OpportunityLifecycle(config.pipelines(), config.currency(), config.deals(),
        config.alerts()), record -> OpportunityLifecycle.keyOf(record.change), config);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  // ---------------------------------------------------------------- helpers

  private void send(CrmChange change) throws Exception {
    harness.processElement(LifecycleHarness.ingested(change), change.getCommitTime());
  }

  private static CrmChange deal(ChangeType type, long time, Object... fields) {
    return Changes.opportunity("006A", type, time, fields);
  }

  /** Every input outcome so far, as "entity outcome". */
  private List<String> outcomes() {
    var outcomes = harness.getSideOutput(io.pipelinepulse.ingest.IngestOutputs.OUTCOMES);
    return outcomes == null ? List.of()
        : outcomes.stream().map(record -> record.getValue().entity + " " + record.getValue().outcome).toList();
  }

  /** Exits, closes and open-pipeline facts emitted since the last call, one readable line each. */
  private List<String> facts() {
    List<String> lines = harness.extractOutputValues().stream()
        .filter(f -> f instanceof StageExit || f instanceof DealClosed
            || f instanceof OpenDealDelta open && open.state() == OpenDealDelta.State.OPEN)
        .map(OpportunityLifecycleTest::line).toList();
    harness.getOutput().clear();
    return lines;
  }

  /** Every change of the given state emitted since the last call: "+time stage owner count amount". */
  private List<String> facts(OpenDealDelta.State state) {
    List<String> lines = harness.extractOutputValues().stream()
        .filter(f -> f instanceof OpenDealDelta delta && delta.state() == state).map(f -> (OpenDealDelta) f)
        .map(f -> String.format(Locale.ROOT, "+%ds %s %s %+d %.2f", (f.time() - T) / SECOND, f.stage(), f.ownerId(),
            f.count(), f.amount()))
        .toList();
    harness.getOutput().clear();
    return lines;
  }

  /** Every change of the deals missing a field emitted since the last call: "+time field count". */
  private List<String> missingFields() {
    List<String> lines = harness.extractOutputValues().stream()
        .filter(f -> f instanceof MissingFieldDelta).map(f -> (MissingFieldDelta) f)
        .map(f -> String.format(Locale.ROOT, "+%ds %s %+d", (f.time() - T) / SECOND, f.field(), f.count()))
        .toList();
    harness.getOutput().clear();
    return lines;
  }

  static String line(Fact fact) {
    String at = "+" + (fact.time() - T) / SECOND + "s";
    if (fact instanceof StageExit exit) {
      return String.format(Locale.ROOT, "exit %s %s/%s owner=%s %s", at, exit.pipeline(), exit.stage(),
          exit.ownerId(), exit.advance() ? "advance" : "drop");
    }
    if (fact instanceof DealClosed closed) {
      return String.format(Locale.ROOT, "closed %s %s owner=%s %s %.2f cycle=%ds", at, closed.pipeline(),
          closed.ownerId(), closed.won() ? "won" : "lost", closed.amount(), closed.cycleMillis() / SECOND);
    }
    OpenDealDelta open = (OpenDealDelta) fact;
    return String.format(Locale.ROOT, "open %s %s/%s owner=%s %+d %.2f %.2f", at, open.pipeline(), open.stage(),
        open.ownerId(), open.count(), open.amount(), open.weighted());
  }

  private void createInQualification(long time) throws Exception {
    send(deal(ChangeType.CREATE, time,
        "stage", "Qualification", "amount", 1000.0, "probability", 20.0, "ownerId", "u1"));
  }

  // ---------------------------------------------------------------- commit-time order

  @Test
  void outOfOrderArrivalIsAppliedInCommitOrder() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 1000.0, "probability", 10.0, "ownerId", "u1"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Needs Analysis", "probability", 30.0));
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Qualification", "probability", 20.0));
    assertThat(facts()).as("nothing before the clock reaches the changes").isEmpty();

    harness.watermark(T + 5 * SECOND);

    assertThat(facts()).containsExactly(
        "open +0s default/Prospecting owner=u1 +1 1000.00 100.00",
        "exit +1s default/Prospecting owner=u1 advance",
        "open +1s default/Prospecting owner=u1 -1 -1000.00 -100.00",
        "open +1s default/Qualification owner=u1 +1 1000.00 200.00",
        "exit +2s default/Qualification owner=u1 advance",
        "open +2s default/Qualification owner=u1 -1 -1000.00 -200.00",
        "open +2s default/Needs Analysis owner=u1 +1 1000.00 300.00");
  }

  @Test
  void onlyChangesUpToTheWatermarkAreApplied() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "ownerId", "u1"));
    send(deal(ChangeType.UPDATE, T + 10 * SECOND, "stage", "Qualification"));
    harness.watermark(T + 9 * SECOND);
    assertThat(facts()).containsExactly("open +0s default/Prospecting owner=u1 +1 0.00 0.00");
    harness.watermark(T + 10 * SECOND);
    assertThat(facts()).startsWith("exit +10s default/Prospecting owner=u1 advance");
  }

  @Test
  void changesAtOneCommitTimeAreAppliedInSequenceOrder() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "ownerId", "u1"));
    CrmChange second = CrmChange.newBuilder(deal(ChangeType.UPDATE, T + SECOND, "stage", "Needs Analysis"))
        .setSequence(2).build();
    CrmChange first = CrmChange.newBuilder(deal(ChangeType.UPDATE, T + SECOND, "stage", "Qualification"))
        .setSequence(1).build();
    send(second);
    send(first);
    harness.watermark(T + SECOND);

    assertThat(facts()).filteredOn(f -> f.startsWith("exit")).containsExactly(
        "exit +1s default/Prospecting owner=u1 advance",
        "exit +1s default/Qualification owner=u1 advance");
  }

  // ---------------------------------------------------------------- stage exits

  @ParameterizedTest(name = "Qualification -> {0}: {1}")
  @CsvSource({
      "Needs Analysis, advance",
      "Negotiation/Review, advance",
      "Prospecting, drop",
      "Closed Won, advance",
      "Closed Lost, drop"})
  void stageExitIsAdvanceOrDrop(String to, String kind) throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", to));
    harness.watermark(T + SECOND);

    List<String> facts = facts();
    assertThat(facts).contains("exit +1s default/Qualification owner=u1 " + kind);
    assertThat(facts).filteredOn(f -> f.startsWith("exit")).hasSize(1);
  }

  @Test
  void deleteIsADropAndTakesTheDealOutOfTheOpenPipeline() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.DELETE, T + SECOND));
    harness.watermark(T + SECOND);
    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u1 +1 1000.00 200.00",
        "exit +1s default/Qualification owner=u1 drop",
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00");
  }

  @Test
  void closedWonLeavesTheOpenPipelineWithoutJoiningAStage() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Closed Won"));
    harness.watermark(T + SECOND);
    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u1 +1 1000.00 200.00",
        "exit +1s default/Qualification owner=u1 advance",
        "closed +1s default owner=u1 won 1000.00 cycle=1s",
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00");
  }

  @Test
  void closingLostOrWithoutAmountSaysSoAndCountsTheCycleFromCreation() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Qualification", "ownerId", "u1"));
    send(deal(ChangeType.UPDATE, T + 90 * SECOND, "stage", "Closed Lost"));
    harness.watermark(T + 90 * SECOND);
    assertThat(facts()).contains("closed +90s default owner=u1 lost NaN cycle=90s");
  }

  @Test
  void dealCreatedClosedEmitsNothing() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Closed Lost", "amount", 5.0, "ownerId", "u1"));
    harness.watermark(T);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
  }

  // ---------------------------------------------------------------- open deltas

  @Test
  void amountCurrencyAndProbabilityChangesAreOpenDeltasWithoutExit() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "amount", 2000.0, "currency", "EUR"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "probability", 50.0));
    send(deal(ChangeType.UPDATE, T + 3 * SECOND, "probability", null));
    harness.watermark(T + 3 * SECOND);

    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u1 +1 1000.00 200.00",
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00",
        "open +1s default/Qualification owner=u1 +1 2160.00 432.00",
        "open +2s default/Qualification owner=u1 -1 -2160.00 -432.00",
        "open +2s default/Qualification owner=u1 +1 2160.00 1080.00",
        "open +3s default/Qualification owner=u1 -1 -2160.00 -1080.00",
        "open +3s default/Qualification owner=u1 +1 2160.00 0.00");
  }

  @Test
  void ownerChangeMovesTheDealBetweenOwnersWithoutExit() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "ownerId", "u2"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "ownerId", null));
    harness.watermark(T + 2 * SECOND);
    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u1 +1 1000.00 200.00",
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00",
        "open +1s default/Qualification owner=u2 +1 1000.00 200.00",
        "open +2s default/Qualification owner=u2 -1 -1000.00 -200.00",
        "open +2s default/Qualification owner=null +1 1000.00 200.00");
  }

  @Test
  void changesThatDoNotTouchTheContributionEmitNothing() throws Exception {
    createInQualification(T);
    harness.watermark(T);
    facts();
    send(deal(ChangeType.UPDATE, T + SECOND, "closeDate", "2026-03-31", "name", "Renamed"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Qualification", "amount", 1000.0));
    send(deal(ChangeType.UPDATE, T + 3 * SECOND, "pipeline", "default"));
    send(deal(ChangeType.UPDATE, T + 4 * SECOND, "currency", "USD"));
    harness.watermark(T + 4 * SECOND);
    assertThat(facts()).isEmpty();
  }

  @Test
  void unknownPipelineBelongsToTheDefaultPipeline() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "pipeline", "no-such-pipeline", "ownerId", "u1"));
    harness.watermark(T);
    assertThat(facts()).containsExactly("open +0s default/Prospecting owner=u1 +1 0.00 0.00");
  }

  // ---------------------------------------------------------------- state hygiene

  @Test
  void changesHeldForTheClockAtACheckpointAreAppliedAfterARestore() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Needs Analysis"));
    harness.watermark(T);
    assertThat(facts()).containsExactly("open +0s default/Qualification owner=u1 +1 1000.00 200.00");
    send(deal(ChangeType.UPDATE, T + SECOND, "amount", 2000.0));
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness = LifecycleHarness.restore(new OpportunityLifecycle(config.pipelines(), config.currency(),
        config.deals(), config.alerts()), record -> OpportunityLifecycle.keyOf(record.change), config, snapshot);
    harness.watermark(T + 2 * SECOND);
    assertThat(facts()).containsExactly(
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00",
        "open +1s default/Qualification owner=u1 +1 2000.00 400.00",
        "exit +2s default/Qualification owner=u1 advance",
        "open +2s default/Qualification owner=u1 -1 -2000.00 -400.00",
        "open +2s default/Needs Analysis owner=u1 +1 2000.00 400.00");
  }

  @Test
  void closedDealLeavesNoStateAndNoTimers() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Needs Analysis"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Closed Won"));
    assertThat(harness.numEventTimeTimers()).as("changes wait for the clock without a timer each").isZero();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isPositive();

    harness.watermark(T + SECOND);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("open deal remembered").isPositive();

    harness.watermark(T + 2 * SECOND);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    // a later edit of the closed deal is not remembered either
    send(deal(ChangeType.UPDATE, T + 3 * SECOND, "amount", 99.0));
    harness.watermark(T + 3 * SECOND);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void eventIdsOutliveTheClosedDealForTheRetentionOnly() throws Exception {
    harness.setStateTtlProcessingTime(0);
    CrmChange creation = deal(ChangeType.CREATE, T, "stage", "Qualification", "ownerId", "u1");
    send(creation);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Closed Lost"));
    harness.watermark(T + SECOND);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("closed: the deal is gone").isZero();
    assertThat(LifecycleHarness.keysWithRememberedEventIds(harness)).isEqualTo(1);
    facts();

    // redelivered after the close, before the clock reached it again: a duplicate, no new deal
    CrmChange redelivered = CrmChange.newBuilder(creation).setCommitTime(T + 2 * SECOND).build();
    send(redelivered);
    harness.watermark(T + 2 * SECOND);
    assertThat(facts()).isEmpty();
    assertThat(outcomes()).containsExactly("opportunity accepted", "opportunity accepted", "opportunity duplicate");

    // past the retention the id is forgotten: the same delivery counts as new
    harness.setStateTtlProcessingTime(config.dedupRetention().toMillis() + 1);
    send(CrmChange.newBuilder(redelivered).setCommitTime(T + 3 * SECOND).build());
    harness.watermark(T + 3 * SECOND);
    assertThat(outcomes()).endsWith("opportunity accepted");
    assertThat(facts()).containsExactly("open +3s default/Qualification owner=u1 +1 0.00 0.00");
  }

  @Test
  void eachEventIdIsForgottenARetentionAfterItWasFirstSeen() throws Exception {
    long retention = config.dedupRetention().toMillis();
    harness.setStateTtlProcessingTime(0);
    harness.setProcessingTime(0);
    CrmChange first = deal(ChangeType.CREATE, T, "stage", "Qualification", "ownerId", "u1");
    send(first);
    harness.setStateTtlProcessingTime(retention - 10);
    harness.setProcessingTime(retention - 10);
    CrmChange second = deal(ChangeType.UPDATE, T + SECOND, "amount", 5.0);
    send(second);

    harness.setStateTtlProcessingTime(retention + 10);
    harness.setProcessingTime(retention + 10);
    send(CrmChange.newBuilder(first).setCommitTime(T + 2 * SECOND).build());
    send(CrmChange.newBuilder(second).setCommitTime(T + 3 * SECOND).build());
    assertThat(outcomes()).containsExactly("opportunity accepted", "opportunity accepted",
        "opportunity accepted", "opportunity duplicate");
  }

  @Test
  void aChangeNotAfterTheClockIsLateAndDeadLettered() throws Exception {
    createInQualification(T);
    harness.watermark(T + 10 * SECOND);
    facts();
    send(deal(ChangeType.UPDATE, T + 5 * SECOND, "stage", "Closed Won"));
    harness.watermark(T + 20 * SECOND);
    assertThat(facts()).as("nothing folded in").isEmpty();
    assertThat(outcomes()).endsWith("opportunity late");
    assertThat(harness.getSideOutput(io.pipelinepulse.ingest.IngestOutputs.DEAD_LETTERS))
        .extracting(record -> record.getValue().getReason()).containsExactly("late");
  }

  @Test
  void fragmentOfADealWithoutStageLeavesNoState() throws Exception {
    send(deal(ChangeType.UPDATE, T, "amount", 10.0, "ownerId", "u1"));
    harness.watermark(T);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aDealCreatedBeforeItsStageKeepsWhatArrivesUntilTheStageDoes() throws Exception {
    // HubSpot: the creation, then one event per property, all of one moment
    send(deal(ChangeType.CREATE, T));
    send(deal(ChangeType.UPDATE, T + SECOND, "amount", 10.0, "ownerId", "u1"));
    harness.watermark(T + SECOND);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("created deal remembered").isPositive();
    assertThat(harness.numEventTimeTimers()).as("until it is forgotten").isEqualTo(1);

    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Qualification"));
    harness.watermark(T + 2 * SECOND);
    assertThat(facts()).as("the amount and owner that came before the stage count")
        .containsExactly("open +2s default/Qualification owner=u1 +1 10.00 0.00");

    send(deal(ChangeType.UPDATE, T + 3 * SECOND, "stage", "Closed Lost"));
    harness.watermark(T + 3 * SECOND);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("closed: nothing left").isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aDealWhoseStageNeverComesIsForgottenAWeekAfterItsLastChange() throws Exception {
    long day = 86_400_000L;
    send(deal(ChangeType.CREATE, T));
    send(deal(ChangeType.UPDATE, T + day, "amount", 10.0, "ownerId", "u1"));
    harness.watermark(T + 8 * day - 1);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("a week after its last change, not its first")
        .isPositive();
    harness.watermark(T + 8 * day);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    send(deal(ChangeType.UPDATE, T + 9 * day, "stage", "Qualification"));
    harness.watermark(T + 9 * day);
    assertThat(facts()).as("the stage starts a deal first seen then, without the forgotten amount and owner")
        .containsExactly("open +777600s default/Qualification owner=null +1 0.00 0.00");
  }

  @Test
  void deleteOfAnUnknownDealLeavesNoState() throws Exception {
    send(deal(ChangeType.DELETE, T));
    harness.watermark(T);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void deletedDealKeepsStateUntilTheRetentionPassesThenHasNone() throws Exception {
    createInQualification(T);
    long deletedAt = T + SECOND;
    send(deal(ChangeType.DELETE, deletedAt));
    harness.watermark(deletedAt);
    facts();

    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("deleted deal remembered").isPositive();
    assertThat(harness.numEventTimeTimers()).as("cleanup timer").isEqualTo(1);

    harness.watermark(deletedAt + RETENTION - 1);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isPositive();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.watermark(deletedAt + RETENTION);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(facts()).isEmpty();

    // undelete after the retention: nothing is known any more
    send(deal(ChangeType.UNDELETE, deletedAt + RETENTION + SECOND));
    harness.watermark(deletedAt + RETENTION + SECOND);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
  }

  @Test
  void undeleteWithinRetentionRestoresTheOpenPipeline() throws Exception {
    send(deal(ChangeType.CREATE, T,
        "stage", "Qualification", "amount", 500.0, "currency", "EUR", "probability", 40.0, "ownerId", "u2"));
    send(deal(ChangeType.DELETE, T + SECOND));
    long undeleteAt = T + SECOND + 14 * DAY;
    send(deal(ChangeType.UNDELETE, undeleteAt));
    harness.watermark(undeleteAt);

    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u2 +1 540.00 216.00",
        "exit +1s default/Qualification owner=u2 drop",
        "open +1s default/Qualification owner=u2 -1 -540.00 -216.00",
        "open +1209601s default/Qualification owner=u2 +1 540.00 216.00");
    assertThat(harness.numEventTimeTimers()).as("cleanup timer dropped").isZero();

    // the restored deal is open again, so it is kept after the old cleanup moment ...
    harness.watermark(T + SECOND + RETENTION + DAY);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isPositive();
    assertThat(facts()).isEmpty();

    // ... and its next stage change is an exit from the stage it was restored to
    send(deal(ChangeType.UPDATE, T + SECOND + RETENTION + 2 * DAY, "stage", "Needs Analysis"));
    harness.watermark(T + SECOND + RETENTION + 2 * DAY);
    assertThat(facts()).first().isEqualTo("exit +1468801s default/Qualification owner=u2 advance");
  }

  @Test
  void editOfADeletedDealDoesNotReopenIt() throws Exception {
    createInQualification(T);
    send(deal(ChangeType.DELETE, T + SECOND));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "stage", "Needs Analysis"));
    harness.watermark(T + 2 * SECOND);
    assertThat(facts()).containsExactly(
        "open +0s default/Qualification owner=u1 +1 1000.00 200.00",
        "exit +1s default/Qualification owner=u1 drop",
        "open +1s default/Qualification owner=u1 -1 -1000.00 -200.00");
  }

  @Test
  void keysAreIndependent() throws Exception {
    send(Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "Prospecting", "ownerId", "u1"));
    send(Changes.opportunity("006B", ChangeType.CREATE, T, "stage", "Closed Won", "ownerId", "u1"));
    send(Changes.opportunity("006B", ChangeType.UPDATE, T + SECOND, "stage", "Prospecting"));
    harness.watermark(T + SECOND);
    // 006B was never open before its update; the update opens a deal with no owner known
    assertThat(facts()).containsExactly(
        "open +0s default/Prospecting owner=u1 +1 0.00 0.00",
        "open +1s default/Prospecting owner=null +1 0.00 0.00");
  }

  // ---------------------------------------------------------------- deadlines: stalled, past due


  @Test
  void aDealStallsWhenTheClockPassesItsIdleThresholdAndAnActivityUnstallsIt() throws Exception {
    createInQualification(T);
    harness.watermark(T + 14 * DAY);
    assertThat(facts(OpenDealDelta.State.STALLED)).isEmpty();
    harness.watermark(T + 14 * DAY + 1);
    assertThat(facts(OpenDealDelta.State.STALLED)).containsExactly("+1209600s Qualification u1 +1 1000.00");

    send(Changes.change(io.pipelinepulse.schema.Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 15 * DAY,
        "opportunityId", "006A", "type", "call"));
    harness.watermark(T + 15 * DAY);
    assertThat(facts(OpenDealDelta.State.STALLED)).containsExactly("+1296000s Qualification u1 -1 -1000.00");
    // re-armed: idle again for 14 days after the activity
    harness.watermark(T + 29 * DAY + 1);
    assertThat(facts(OpenDealDelta.State.STALLED)).containsExactly("+2505600s Qualification u1 +1 1000.00");
  }

  @Test
  void activitiesBeforeTheStallMoveItLaterWithOneTimerThatFiresWithoutEffectOnTheWay() throws Exception {
    createInQualification(T);
    for (int day = 1; day <= 10; day++) {
      send(Changes.change(io.pipelinepulse.schema.Entity.ACTIVITY, "00T" + day, ChangeType.CREATE, T + day * DAY,
          "opportunityId", "006A", "type", "call"));
      harness.watermark(T + day * DAY);
      assertThat(harness.numEventTimeTimers()).as("one deadline timer after day " + day).isEqualTo(1);
    }
    // the first deadline (day 14) passes quietly; the deal stalls 14 days after its last activity
    harness.watermark(T + 24 * DAY);
    assertThat(facts(OpenDealDelta.State.STALLED)).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.watermark(T + 24 * DAY + 1);
    assertThat(facts(OpenDealDelta.State.STALLED)).containsExactly("+2073600s Qualification u1 +1 1000.00");
  }

  @Test
  void aDealFallsPastDueAtTheStartOfTheDayAfterItsCloseDateAndAPushCountsAndClearsIt() throws Exception {
    long midnight = T - Math.floorMod(T, DAY);
    String today = java.time.LocalDate.ofEpochDay(midnight / DAY).toString();
    String nextWeek = java.time.LocalDate.ofEpochDay(midnight / DAY + 7).toString();
    send(deal(ChangeType.CREATE, T, "stage", "Qualification", "amount", 10.0, "ownerId", "u1", "closeDate", today));
    harness.watermark(midnight + DAY - 1);
    assertThat(facts(OpenDealDelta.State.PAST_DUE)).isEmpty();
    harness.watermark(midnight + DAY);
    List<Fact> out = harness.extractOutputValues();
    assertThat(out).filteredOn(OpportunityLifecycleTest::isPastDue).singleElement()
        .satisfies(f -> assertThat(f.time()).isEqualTo(midnight + DAY));
    harness.getOutput().clear();

    send(deal(ChangeType.UPDATE, midnight + DAY + 5 * SECOND, "closeDate", nextWeek));
    harness.watermark(midnight + DAY + 5 * SECOND);
    List<Fact> afterPush = harness.extractOutputValues();
    assertThat(afterPush).filteredOn(f -> f instanceof CloseDatePush).hasSize(1);
    assertThat(afterPush).filteredOn(OpportunityLifecycleTest::isPastDue)
        .singleElement().satisfies(f -> assertThat(((OpenDealDelta) f).count()).isEqualTo(-1));
  }

  private static boolean isPastDue(Fact fact) {
    return fact instanceof OpenDealDelta delta && delta.state() == OpenDealDelta.State.PAST_DUE;
  }

  @Test
  void closingADealWithDeadlinesPendingLeavesNoTimersAndNoState() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Qualification", "amount", 10.0, "ownerId", "u1",
        "closeDate", "2999-01-01"));
    harness.watermark(T);
    assertThat(harness.numEventTimeTimers()).as("one timer for the stall and past-due deadlines").isEqualTo(1);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Closed Lost"));
    harness.watermark(T + SECOND);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
  }

  @Test
  void openDealsMissingFieldsAreCountedUntilTheFieldArrives() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Qualification"));
    harness.watermark(T);
    assertThat(missingFields()).containsExactlyInAnyOrder("+0s amount +1", "+0s close_date +1", "+0s owner +1");
    send(deal(ChangeType.UPDATE, T + SECOND, "amount", 5.0));
    harness.watermark(T + SECOND);
    assertThat(missingFields()).containsExactly("+1s amount -1");
  }

  // ---------------------------------------------------------------- per-deal alerts

  /** Alert events since the last call: "STATUS name +seconds". */
  private List<String> alerts() {
    List<String> lines = harness.getSideOutput(OpenAlerts.EVENTS) == null ? List.of()
        : harness.getSideOutput(OpenAlerts.EVENTS).stream().map(record -> {
          AlertEvent event = record.getValue();
          long at = event.getEndsAt() == null ? event.getStartsAt() : event.getEndsAt();
          return event.getStatus() + " " + event.getAlertName() + " +" + (at - T) / SECOND + "s";
        }).toList();
    if (harness.getSideOutput(OpenAlerts.EVENTS) != null) {
      harness.getSideOutput(OpenAlerts.EVENTS).clear();
    }
    return lines;
  }

  private AlertEvent lastAlert() {
    List<AlertEvent> events = harness.getSideOutput(OpenAlerts.EVENTS).stream().map(r -> r.getValue()).toList();
    return events.get(events.size() - 1);
  }

  @Test
  void aStallOpensOneAlertThatAnActivityResolvesAndTheNextStallOpensAgain() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Negotiation/Review", "amount", 5000.0, "closeDate", "2027-01-01",
        "ownerId", "u1"));
    long stall = T + 14 * DAY + 1;
    harness.watermark(stall - 1);
    assertThat(alerts()).isEmpty();
    harness.watermark(stall);
    AlertEvent firing = lastAlert();
    assertThat(alerts()).containsExactly("FIRING DealStalled +" + (stall - T) / SECOND + "s");
    assertThat(firing.getLabels()).containsOnly(entry("alertname", "DealStalled"), entry("severity", "warning"),
        entry("team", "unknown"), entry("pipeline", "default"), entry("stage", "Negotiation/Review"),
        entry("deal_id", "006A"), entry("owner_id", "u1"));
    assertThat(firing.getAnnotations()).containsKeys("summary", "description")
        .containsEntry("record_url", "https://crm.example.com/006A")
        .hasEntrySatisfying("runbook_url", url -> assertThat(url).endsWith("/alerting/runbooks/DealStalled.md"))
        .hasEntrySatisfying("description", text -> assertThat(text).contains("14 d").contains("5,000.00 USD")
            .contains("Idle since " + io.pipelinepulse.alerts.AlertTexts.moment(T)));
    harness.watermark(stall + 5 * DAY);
    assertThat(alerts()).as("fires once while stalled").isEmpty();

    send(Changes.change(io.pipelinepulse.schema.Entity.ACTIVITY, "00T9", ChangeType.CREATE, T + 20 * DAY,
        "opportunityId", "006A", "type", "call", "ownerId", "u1"));
    harness.watermark(T + 20 * DAY);
    assertThat(alerts()).containsExactly("RESOLVED DealStalled +" + 20 * DAY / SECOND + "s");
    harness.watermark(T + 34 * DAY + 1);
    assertThat(alerts()).as("re-armed: stalls again 14 days after the activity")
        .containsExactly("FIRING DealStalled +" + (34 * DAY + 1) / SECOND + "s");
  }

  @Test
  void theAlertNamesTheDealInItsTextsNeverInItsLabelsAndNotAtAllWhenNamesAreLeftOut() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2027-01-06",
        "ownerId", "u1", "name", "Acme renewal " + "x".repeat(500)));
    harness.watermark(T + 15 * DAY);
    AlertEvent named = lastAlert();
    assertThat(named.getAnnotations().get("summary")).startsWith("Deal \"Acme renewal xxx")
        .endsWith("...\" (006A) has stalled in Prospecting").hasSizeLessThan(200);
    assertThat(named.getLabels().values()).noneMatch(value -> value.contains("Acme"));
    send(deal(ChangeType.UPDATE, T + 16 * DAY, "name", "Acme renewal 2027"));
    harness.watermark(T + 16 * DAY);
    assertThat(lastAlert().getAnnotations().get("summary")).as("renamed while open")
        .isEqualTo("Deal \"Acme renewal 2027\" (006A) has stalled in Prospecting");

    harness.close();
    PulseConfig withoutNames = PulseConfigLoader.fromYaml("alerts: {include-names: false}");
    harness = LifecycleHarness.open(new OpportunityLifecycle(withoutNames.pipelines(), withoutNames.currency(),
        withoutNames.deals(), withoutNames.alerts()), record -> OpportunityLifecycle.keyOf(record.change), withoutNames);
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2027-01-06",
        "ownerId", "u1", "name", "Acme renewal"));
    harness.watermark(T + 15 * DAY);
    assertThat(lastAlert().getAnnotations().values()).noneMatch(text -> text.contains("Acme"));
    assertThat(lastAlert().getAnnotations().get("summary")).isEqualTo("Deal 006A has stalled in Prospecting");
  }

  @Test
  void anOpenAlertsAnnotationsFollowTheDealsAmountAndCloseDateAndKeepItsStart() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Negotiation/Review", "amount", 5000.0, "closeDate", "2027-01-01",
        "ownerId", "u1"));
    harness.watermark(T + 15 * DAY);
    AlertEvent stalled = lastAlert();
    alerts();
    send(deal(ChangeType.UPDATE, T + 16 * DAY, "amount", 7500.0));
    harness.watermark(T + 16 * DAY);
    AlertEvent updated = lastAlert();
    assertThat(alerts()).as("the same alert, fired again with new text")
        .containsExactly("FIRING DealStalled +" + (14 * DAY + 1) / SECOND + "s");
    assertThat(updated.getLabels()).isEqualTo(stalled.getLabels());
    assertThat(updated.getAnnotations().get("description")).contains("7,500.00 USD").doesNotContain("5,000.00");
    send(deal(ChangeType.UPDATE, T + 17 * DAY, "probability", 40.0));
    harness.watermark(T + 17 * DAY);
    assertThat(alerts()).as("nothing it states changed").isEmpty();
  }

  @Test
  void secondPushOpensSlippedAndPastDueOpensAtTheDayAfterTheCloseDate() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2026-01-06",
        "ownerId", "u1"));
    send(deal(ChangeType.UPDATE, T + SECOND, "closeDate", "2026-01-07"));
    send(deal(ChangeType.UPDATE, T + 2 * SECOND, "closeDate", "2026-01-08"));
    harness.watermark(T + 2 * SECOND);
    assertThat(alerts()).containsExactly("FIRING DealCloseDateSlipped +2s");
    long dayAfter = java.time.LocalDate.parse("2026-01-09").toEpochDay() * DAY;
    harness.watermark(dayAfter);
    assertThat(alerts()).containsExactly("FIRING DealPastDue +" + (dayAfter - T) / SECOND + "s");
    send(deal(ChangeType.UPDATE, dayAfter + SECOND, "closeDate", "2026-02-01"));
    harness.watermark(dayAfter + SECOND);
    assertThat(harness.getSideOutput(OpenAlerts.EVENTS)).extracting(r -> r.getValue().getAnnotations().get("description"))
        .anyMatch(text -> text.contains("3 times, now 2026-02-01"));
    assertThat(alerts()).as("a new close date in the future clears past due; slipped stays open, its text"
        + " updated to the third push").containsExactlyInAnyOrder(
            "RESOLVED DealPastDue +" + (dayAfter + SECOND - T) / SECOND + "s", "FIRING DealCloseDateSlipped +2s");
  }

  @Test
  void closingResolvesEveryOpenAlertAndLeavesNothingBehind() throws Exception {
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2026-01-06",
        "ownerId", "u1"));
    harness.watermark(T + 15 * DAY);
    assertThat(alerts()).containsExactlyInAnyOrder(
        "FIRING DealPastDue +" + (java.time.LocalDate.parse("2026-01-07").toEpochDay() * DAY - T) / SECOND + "s",
        "FIRING DealStalled +" + (14 * DAY + 1) / SECOND + "s");
    send(deal(ChangeType.UPDATE, T + 16 * DAY, "stage", "Closed Won"));
    harness.watermark(T + 16 * DAY);
    assertThat(alerts()).containsExactlyInAnyOrder("RESOLVED DealPastDue +" + 16 * DAY / SECOND + "s",
        "RESOLVED DealStalled +" + 16 * DAY / SECOND + "s");
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void theAlertNamesTheOwnersTeamAtThatMoment() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 10 * DAY, "team", "West"), T + 10 * DAY);
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2027-01-06",
        "ownerId", "u1"));
    harness.watermark(T + 15 * DAY);
    assertThat(lastAlert().getLabels()).containsEntry("team", "West");
  }

  /** The alert events since the last call as "STATUS name team owner reason". */
  private List<String> alertRouting() {
    List<String> lines = harness.getSideOutput(OpenAlerts.EVENTS).stream().map(record -> {
      AlertEvent event = record.getValue();
      return event.getStatus() + " " + event.getAlertName() + " " + event.getLabels().get("team") + " "
          + event.getLabels().get("owner_id") + (event.getReason() == null ? "" : " " + event.getReason());
    }).toList();
    harness.getSideOutput(OpenAlerts.EVENTS).clear();
    return lines;
  }

  @Test
  void openAlertsFollowTheirOwnerToANewTeamAndTheDealToANewOwnerAtThatMoment() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    harness.processBroadcastElement(Changes.user("u2", ChangeType.UPDATE, T - DAY, "team", "Central"), T - DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 20 * DAY, "team", "West"), T + 20 * DAY);
    send(deal(ChangeType.CREATE, T, "stage", "Prospecting", "amount", 100.0, "closeDate", "2026-01-06",
        "ownerId", "u1"));
    harness.watermark(T + 15 * DAY);
    assertThat(alertRouting()).containsExactlyInAnyOrder("FIRING DealPastDue East u1", "FIRING DealStalled East u1");

    harness.watermark(T + 20 * DAY);
    assertThat(lastAlert().getStartsAt()).isEqualTo(T + 20 * DAY);
    assertThat(alertRouting()).as("u1 moved to West").containsExactlyInAnyOrder(
        "RESOLVED DealPastDue East u1 reassigned", "FIRING DealPastDue West u1",
        "RESOLVED DealStalled East u1 reassigned", "FIRING DealStalled West u1");

    send(deal(ChangeType.UPDATE, T + 21 * DAY, "ownerId", "u2"));
    harness.watermark(T + 21 * DAY);
    assertThat(alertRouting()).as("reassigned to u2 of Central").containsExactlyInAnyOrder(
        "RESOLVED DealPastDue West u1 reassigned", "FIRING DealPastDue Central u2",
        "RESOLVED DealStalled West u1 reassigned", "FIRING DealStalled Central u2");

    send(deal(ChangeType.UPDATE, T + 22 * DAY, "stage", "Closed Lost"));
    harness.watermark(T + 22 * DAY);
    assertThat(alertRouting()).containsExactlyInAnyOrder("RESOLVED DealPastDue Central u2 closed",
        "RESOLVED DealStalled Central u2 closed");
  }

  @Test
  void anOwnersTeamsLongBeforeTheClockAreForgottenAndTheTeamsNearItStayRight() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - 30 * DAY, "team", "East"), T - 30 * DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - 20 * DAY, "team", "West"), T - 20 * DAY);
    harness.watermark(T - 10 * DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - 10 * DAY + HOUR, "team", "North"),
        T - 10 * DAY + HOUR);
    harness.watermark(T);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + HOUR, "team", "South"), T + HOUR);

    java.util.Map<Long, String> history = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>)
        harness.getOperator()).getOperatorStateBackend().getBroadcastState(OwnerTeams.STATE).get("u1");
    assertThat(history.keySet()).as("North from 10 days ago is the team a day before the clock, South is to come")
        .containsExactlyInAnyOrder(T - 10 * DAY + HOUR, T + HOUR);

    createInQualification(T + SECOND);
    send(deal(ChangeType.UPDATE, T + 2 * HOUR, "stage", "Needs Analysis"));
    harness.watermark(T + 2 * HOUR);
    assertThat(harness.extractOutputValues()).filteredOn(f -> f instanceof OpenDealDelta)
        .extracting(Fact::team).startsWith("North").contains("South");
  }

  @Test
  void everyFactCarriesTheOwnersTeamAtItsMomentAndOpenDealsMoveWithTheirOwner() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 5 * SECOND, "team", "West"),
        T + 5 * SECOND);
    createInQualification(T);
    send(deal(ChangeType.UPDATE, T + SECOND, "stage", "Needs Analysis"));
    send(deal(ChangeType.UPDATE, T + 5 * SECOND, "stage", "Closed Won"));
    harness.watermark(T + 5 * SECOND);

    List<Fact> out = harness.extractOutputValues();
    assertThat(out).filteredOn(f -> f instanceof StageExit).extracting(f -> f.time() - T, Fact::team)
        .containsExactly(tuple(SECOND, "East"), tuple(5 * SECOND, "West"));
    assertThat(out).filteredOn(f -> f instanceof DealClosed).singleElement()
        .satisfies(f -> assertThat(f.team()).isEqualTo("West"));
    assertThat(out).filteredOn(f -> f instanceof MissingFieldDelta).isNotEmpty()
        .allSatisfy(f -> assertThat(f.team()).as("a missing field is counted per pipeline only").isNull());
    // the owner's move comes before the changes of its moment: the deal moves to West, then closes there
    assertThat(out).filteredOn(f -> f instanceof OpenDealDelta).map(f -> (OpenDealDelta) f)
        .extracting(f -> f.time() - T, OpenDealDelta::stage, OpenDealDelta::team, OpenDealDelta::count)
        .containsExactly(tuple(0L, "Qualification", "East", 1L), tuple(SECOND, "Qualification", "East", -1L),
            tuple(SECOND, "Needs Analysis", "East", 1L), tuple(5 * SECOND, "Needs Analysis", "East", -1L),
            tuple(5 * SECOND, "Needs Analysis", "West", 1L), tuple(5 * SECOND, "Needs Analysis", "West", -1L));
  }

  /** Open-deal changes since the last call with their team: "+time stage state team count amount". */
  private List<String> teamed() {
    List<String> lines = harness.extractOutputValues().stream()
        .filter(f -> f instanceof OpenDealDelta).map(f -> (OpenDealDelta) f)
        .map(f -> String.format(Locale.ROOT, "+%ds %s %s %s %+d %.2f", (f.time() - T) / SECOND, f.stage(),
            f.state(), f.team(), f.count(), f.amount()))
        .toList();
    harness.getOutput().clear();
    return lines;
  }

  @Test
  void anOwnersTeamChangeMovesWhatTheirOpenDealsHoldAtItsMomentAndNothingElse() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    harness.processBroadcastElement(Changes.user("u2", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    createInQualification(T);
    send(Changes.opportunity("006B", ChangeType.CREATE, T, "stage", "Qualification", "amount", 50.0,
        "ownerId", "u2"));
    harness.watermark(T + 14 * DAY + 1);
    harness.getOutput().clear();

    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 20 * DAY, "team", "North"),
        T + 20 * DAY);
    harness.processBroadcastElement(Changes.user("u2", ChangeType.UPDATE, T + 20 * DAY, "team", "East"),
        T + 20 * DAY);
    harness.watermark(T + 20 * DAY - 1);
    assertThat(teamed()).as("nothing moves before the change's moment").isEmpty();
    harness.watermark(T + 20 * DAY);
    assertThat(teamed()).as("u1's stalled deal moves; u2 stays in East").containsExactly(
        "+1728000s Qualification OPEN East -1 -1000.00", "+1728000s Qualification OPEN North +1 1000.00",
        "+1728000s Qualification STALLED East -1 -1000.00", "+1728000s Qualification STALLED North +1 1000.00");
    // a second change of the same moment and team moves nothing again
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 21 * DAY, "name", "Renamed"),
        T + 21 * DAY);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 21 * DAY, "team", "North"),
        T + 21 * DAY);
    harness.watermark(T + 21 * DAY);
    assertThat(teamed()).isEmpty();
  }

  @Test
  void aTeamChangeHeldAtACheckpointMovesOnceAfterTheRestore() throws Exception {
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T - DAY, "team", "East"), T - DAY);
    createInQualification(T);
    harness.watermark(T);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 10 * SECOND, "team", "North"),
        T + 10 * SECOND);
    harness.processBroadcastElement(Changes.user("u1", ChangeType.UPDATE, T + 20 * SECOND, "team", "South"),
        T + 20 * SECOND);
    harness.watermark(T + 10 * SECOND);
    harness.getOutput().clear();
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness = LifecycleHarness.restore(new OpportunityLifecycle(config.pipelines(), config.currency(),
        config.deals(), config.alerts()), record -> OpportunityLifecycle.keyOf(record.change), config, snapshot);
    harness.watermark(T + 20 * SECOND);
    assertThat(teamed()).as("the move to North was made before the checkpoint; the one to South after it")
        .containsExactly("+20s Qualification OPEN North -1 -1000.00", "+20s Qualification OPEN South +1 1000.00");
  }
}
