package io.pipelinepulse.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.facts.AwaitingDelta;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.facts.OwnerState;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.testing.Changes;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner's team at the fact's moment, from the configured directory and USER changes. */
class TeamResolverTest {

  private static final long T = 1_767_607_200_000L;
  private static final long SECOND = 1_000L;

  private final PulseConfig config = PulseConfigLoader.fromYaml("""
      directory:
        users:
          - id: u1
            team: East
          - id: u2
            team: West
            manager: u9
      """);

  private KeyedTwoInputStreamOperatorTestHarness<String, CrmChange, OwnerState, Fact> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(new TeamResolver(config.directory())),
        CrmChange::getRecordId, state -> state.ownerId() == null ? "" : state.ownerId(), Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  // ---------------------------------------------------------------- helpers

  private void user(CrmChange change) throws Exception {
    harness.processElement1(change, change.getCommitTime());
  }

  private void fact(OwnerState change) throws Exception {
    harness.processElement2(change, change.time());
  }

  /** A change that leaves the owner's totals as they are: it shows the owner's team at its moment. */
  private static OwnerState seen(long time, String owner) {
    return new AwaitingDelta(time, owner, null, "Web", T, 0);
  }

  private static OwnerState open(long time, String owner, long count, double amount, double weighted) {
    return new OpenDealDelta(OpenDealDelta.State.OPEN, time, owner, null, "default", "Qualification", count, amount,
        weighted);
  }

  private void clock(long time) throws Exception {
    harness.processBothWatermarks(new Watermark(time));
  }

  private List<String> out() {
    List<String> lines = harness.extractOutputValues().stream().map(TeamResolverTest::line).toList();
    harness.getOutput().clear();
    return lines;
  }

  static String line(Fact fact) {
    String at = "+" + (fact.time() - T) / SECOND + "s";
    if (fact instanceof AwaitingDelta) {
      return String.format(Locale.ROOT, "seen %s owner=%s team=%s", at, fact.ownerId(), fact.team());
    }
    OpenDealDelta open = (OpenDealDelta) fact;
    return String.format(Locale.ROOT, "open %s %s/%s owner=%s team=%s %+d %.1f %.1f", at, open.pipeline(),
        open.stage(), open.ownerId(), open.team(), open.count(), open.amount(), open.weighted());
  }

  // ---------------------------------------------------------------- tests

  @Test
  void factGetsTheTeamFromTheConfiguredDirectory() throws Exception {
    fact(seen(T, "u1"));
    fact(seen(T, "u2"));
    assertThat(out()).as("held until the clock reaches the fact").isEmpty();
    clock(T);
    assertThat(out()).containsExactlyInAnyOrder("seen +0s owner=u1 team=East", "seen +0s owner=u2 team=West");
  }

  @Test
  void unownedFactsAreUnassignedAndUnknownOwnersUnknown() throws Exception {
    fact(seen(T, null));
    fact(seen(T, "u-nobody"));
    clock(T);
    assertThat(out()).containsExactlyInAnyOrder(
        "seen +0s owner=null team=" + TeamResolver.UNASSIGNED,
        "seen +0s owner=u-nobody team=" + TeamResolver.UNKNOWN);
  }

  @Test
  void teamChangeAppliesFromItsCommitTimeOnNeverBackwards() throws Exception {
    long t = T + 10 * SECOND;
    // the user change arrives before older facts: it must not leak into them
    user(Changes.user("u1", ChangeType.UPDATE, t, "team", "North"));
    fact(seen(t - 1, "u1"));
    fact(seen(t, "u1"));
    fact(seen(t + 1, "u1"));
    fact(seen(t - SECOND, "u1"));
    clock(t + SECOND);

    assertThat(out()).containsExactly(
        "seen +9s owner=u1 team=East",
        "seen +9s owner=u1 team=East",
        "seen +10s owner=u1 team=North",
        "seen +10s owner=u1 team=North");
  }

  @Test
  void factsArrivingBeforeTheUserChangeStillSeeTheTeamAtTheirMoment() throws Exception {
    long t = T + 10 * SECOND;
    fact(seen(t + 5, "u1"));
    fact(seen(t - 5, "u1"));
    user(Changes.user("u1", ChangeType.UPDATE, t, "team", "North"));
    clock(t + SECOND);
    assertThat(out()).containsExactly("seen +9s owner=u1 team=East", "seen +10s owner=u1 team=North");
  }

  @Test
  void teamChangeMovesTheOwnersOpenTotals() throws Exception {
    fact(open(T, "u1", 1, 1000.0, 100.0));
    fact(open(T + SECOND, "u1", 1, 500.0, 250.0));
    clock(T + SECOND);
    assertThat(out()).containsExactly(
        "open +0s default/Qualification owner=u1 team=East +1 1000.0 100.0",
        "open +1s default/Qualification owner=u1 team=East +1 500.0 250.0");

    user(Changes.user("u1", ChangeType.UPDATE, T + 5 * SECOND, "team", "North"));
    clock(T + 5 * SECOND);
    assertThat(out()).containsExactly(
        "open +5s default/Qualification owner=u1 team=East -2 -1500.0 -350.0",
        "open +5s default/Qualification owner=u1 team=North +2 1500.0 350.0");

    // later deltas of the owner are in the new team
    fact(open(T + 6 * SECOND, "u1", -1, -1000.0, -100.0));
    clock(T + 6 * SECOND);
    assertThat(out()).containsExactly("open +6s default/Qualification owner=u1 team=North -1 -1000.0 -100.0");

    // the team of what is left moves again
    user(Changes.user("u1", ChangeType.UPDATE, T + 7 * SECOND, "team", "South"));
    clock(T + 7 * SECOND);
    assertThat(out()).containsExactly(
        "open +7s default/Qualification owner=u1 team=North -1 -500.0 -250.0",
        "open +7s default/Qualification owner=u1 team=South +1 500.0 250.0");
  }

  @Test
  void ownerWithNothingOpenMovesNothing() throws Exception {
    fact(open(T, "u1", 1, 1000.0, 100.0));
    fact(open(T + SECOND, "u1", -1, -1000.0, -100.0));
    user(Changes.user("u1", ChangeType.UPDATE, T + 2 * SECOND, "team", "North"));
    clock(T + 2 * SECOND);
    assertThat(out()).containsExactly(
        "open +0s default/Qualification owner=u1 team=East +1 1000.0 100.0",
        "open +1s default/Qualification owner=u1 team=East -1 -1000.0 -100.0");
  }

  @Test
  void sameTeamAgainMovesNothing() throws Exception {
    fact(open(T, "u1", 1, 1000.0, 100.0));
    user(Changes.user("u1", ChangeType.UPDATE, T + SECOND, "team", "East"));
    user(Changes.user("u1", ChangeType.UPDATE, T + 2 * SECOND, "name", "Renamed"));
    clock(T + 2 * SECOND);
    assertThat(out()).containsExactly("open +0s default/Qualification owner=u1 team=East +1 1000.0 100.0");
  }

  @Test
  void clearedTeamFallsBackToTheDirectoryOrUnknown() throws Exception {
    user(Changes.user("u1", ChangeType.UPDATE, T, "team", "North"));
    user(Changes.user("u1", ChangeType.UPDATE, T + SECOND, "team", null));
    user(Changes.user("u7", ChangeType.CREATE, T, "team", "Central"));
    user(Changes.user("u7", ChangeType.UPDATE, T + SECOND, "team", " "));
    fact(seen(T, "u1"));
    fact(seen(T + SECOND, "u1"));
    fact(seen(T, "u7"));
    fact(seen(T + SECOND, "u7"));
    clock(T + SECOND);
    assertThat(out()).containsExactlyInAnyOrder(
        "seen +0s owner=u1 team=North",
        "seen +1s owner=u1 team=East",
        "seen +0s owner=u7 team=Central",
        "seen +1s owner=u7 team=unknown");
  }

  @Test
  void userDeleteDoesNotChangeTheTeam() throws Exception {
    user(Changes.user("u1", ChangeType.UPDATE, T, "team", "North"));
    user(Changes.user("u1", ChangeType.DELETE, T + SECOND, "team", "Gone"));
    fact(seen(T + 2 * SECOND, "u1"));
    clock(T + 2 * SECOND);
    assertThat(out()).containsExactly("seen +2s owner=u1 team=North");
  }

  @Test
  void streamTeamOverridesTheDirectoryForUsersNotConfigured() throws Exception {
    user(Changes.user("u-new", ChangeType.CREATE, T, "team", "Central"));
    fact(open(T, "u-new", 1, 10.0, 1.0));
    clock(T);
    assertThat(out()).containsExactly("open +0s default/Qualification owner=u-new team=Central +1 10.0 1.0");
  }

  @Test
  void nothingIsEmittedUntilBothInputsPassTheTime() throws Exception {
    fact(seen(T, "u1"));
    harness.processWatermark2(new Watermark(T + SECOND));
    assertThat(out()).as("user input has not reached T yet").isEmpty();
    harness.processWatermark1(new Watermark(T));
    assertThat(out()).containsExactly("seen +0s owner=u1 team=East");
  }
}
