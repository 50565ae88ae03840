package io.pipelinepulse.localstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.CanonicalJson;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrmSimulationTest {

  /** A Monday, so the month holds full working weeks and weekends. */
  private static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long END = START + 30 * DAY;

  private static final List<String> DEFAULT_STAGES = List.of(
      "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
      "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost");
  private static final Map<String, Double> STAGE_PROBABILITY = Map.of(
      "Prospecting", 10.0, "Qualification", 10.0, "Needs Analysis", 20.0, "Value Proposition", 50.0,
      "Id. Decision Makers", 60.0, "Perception Analysis", 70.0, "Proposal/Price Quote", 75.0,
      "Negotiation/Review", 90.0, "Closed Won", 100.0, "Closed Lost", 0.0);

  private static final long SEED = 42;

  private static List<CrmChange> month;

  @BeforeAll
  static void simulateOneMonth() {
    month = new CrmSimulation(SEED, START).history(END);
  }

  // ---- reproducibility -----------------------------------------------------------------------

  @Test
  void sameSeedGivesTheSameHistory() {
    List<String> first = json(new CrmSimulation(7, START).history(START + 10 * DAY));
    List<String> second = json(new CrmSimulation(7, START).history(START + 10 * DAY));
    assertThat(first).hasSizeGreaterThan(1000).isEqualTo(second);
  }

  @Test
  void historyDoesNotDependOnHowTheRunIsSliced() {
    CrmSimulation sliced = new CrmSimulation(7, START);
    List<CrmChange> events = new ArrayList<>();
    for (long until = START; until <= START + 10 * DAY; until += 7 * 60_000) {
      while (sliced.step(until, events::add)) {
        // one happening at a time, as live mode runs it
      }
    }
    assertThat(json(events)).isEqualTo(json(new CrmSimulation(7, START).history(START + 10 * DAY)));
  }

  @Test
  void differentSeedGivesADifferentHistory() {
    List<String> seven = json(new CrmSimulation(7, START).history(START + 10 * DAY));
    List<String> eight = json(new CrmSimulation(8, START).history(START + 10 * DAY));
    assertThat(seven).isNotEqualTo(eight);
    assertThat(seven.subList(0, 5)).isNotEqualTo(eight.subList(0, 5));
  }

  // ---- envelope ------------------------------------------------------------------------------

  @Test
  void everyEventHasAUniqueIdTheSimulatorOriginAndNonDecreasingCommitTimes() {
    Set<String> ids = new HashSet<>();
    long previousTime = Long.MIN_VALUE;
    long previousSequence = 0;
    for (CrmChange change : month) {
      assertThat(ids.add(change.getEventId())).as("unique eventId %s", change.getEventId()).isTrue();
      assertThat(change.getEventId()).startsWith("sim-" + SEED + "-");
      assertThat(change.getOrigin()).isEqualTo("simulator");
      assertThat(change.getCommitTime()).isBetween(START, END).isGreaterThanOrEqualTo(previousTime);
      assertThat(change.getSequence()).isGreaterThan(previousSequence);
      previousTime = change.getCommitTime();
      previousSequence = change.getSequence();
    }
  }

  @Test
  void everyEventRoundTripsThroughCanonicalJsonAndAvro() {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    for (CrmChange change : month) {
      assertThat(CanonicalJson.parse(CanonicalJson.format(change))).isEqualTo(change);
      assertThat(codec.decode(codec.encode(change))).isEqualTo(change);
    }
  }

  @Test
  void fieldValuesAreOnlyTypesTheSchemaAllows() {
    for (CrmChange change : month) {
      for (Object value : change.getFields().values()) {
        assertThat(value).isInstanceOfAny(String.class, Double.class, Boolean.class, Long.class);
      }
    }
  }

  @Test
  void updatesCarryOnlyChangedFieldsOfExistingRecords() {
    Map<String, Map<String, Object>> state = new HashMap<>();
    for (CrmChange change : month) {
      if (change.getEntity() == Entity.ACTIVITY) {
        assertThat(change.getChangeType()).isEqualTo(ChangeType.CREATE);
        continue;
      }
      String id = change.getRecordId();
      switch (change.getChangeType()) {
        case CREATE -> {
          assertThat(state).doesNotContainKey(id);
          state.put(id, new HashMap<>(change.getFields()));
        }
        case UPDATE -> {
          assertThat(state).as("update of an unknown record %s", id).containsKey(id);
          assertThat(change.getFields()).as("update of %s", id).isNotEmpty();
          Map<String, Object> current = state.get(id);
          change.getFields().forEach((name, value) -> {
            assertThat(current.containsKey(name) && Objects.equals(current.get(name), value))
                .as("%s of %s re-sent unchanged as %s", name, id, value).isFalse();
            current.put(name, value);
          });
        }
        case DELETE, UNDELETE -> {
          assertThat(state).containsKey(id);
          assertThat(change.getFields()).isEmpty();
        }
        default -> throw new AssertionError(change.getChangeType());
      }
    }
  }

  // ---- organisation --------------------------------------------------------------------------

  @Test
  void theUserDirectoryComesFirstWithFourTeamsOfManagersAndReps() {
    List<CrmChange> users = month.stream().filter(c -> c.getEntity() == Entity.USER && c.getChangeType() == ChangeType.CREATE).toList();
    assertThat(month.subList(0, users.size())).containsExactlyElementsOf(users);
    assertThat(users).allSatisfy(user -> {
      assertThat(user.getCommitTime()).isEqualTo(START);
      assertThat(user.getFields()).containsKeys(CanonicalFields.NAME, CanonicalFields.EMAIL, CanonicalFields.TEAM)
          .containsEntry(CanonicalFields.ACTIVE, true);
    });
    assertThat(users.stream().map(u -> u.getFields().get(CanonicalFields.EMAIL)).distinct()).hasSameSizeAs(users);

    Map<String, String> managerOfTeam = new HashMap<>();
    users.stream().filter(u -> !u.getFields().containsKey(CanonicalFields.MANAGER_ID))
        .forEach(m -> managerOfTeam.put((String) m.getFields().get(CanonicalFields.TEAM), m.getRecordId()));
    assertThat(managerOfTeam).containsOnlyKeys("East", "West", "Central", "Enterprise");

    Map<Object, List<CrmChange>> repsByTeam = users.stream().filter(u -> u.getFields().containsKey(CanonicalFields.MANAGER_ID))
        .collect(Collectors.groupingBy(u -> u.getFields().get(CanonicalFields.TEAM)));
    assertThat(repsByTeam).hasSize(4);
    repsByTeam.forEach((team, reps) -> {
      assertThat(reps).hasSizeBetween(4, 6);
      assertThat(reps).allSatisfy(rep -> assertThat(rep.getFields().get(CanonicalFields.MANAGER_ID)).isEqualTo(managerOfTeam.get(team)));
    });
  }

  @Test
  void aRepChangingTeamGetsTheNewTeamsManager() {
    Map<String, String> managerOfTeam = new HashMap<>();
    List<CrmChange> moves = new ArrayList<>();
    for (CrmChange change : month) {
      if (change.getEntity() != Entity.USER) {
        continue;
      }
      if (change.getChangeType() == ChangeType.CREATE && !change.getFields().containsKey(CanonicalFields.MANAGER_ID)) {
        managerOfTeam.put((String) change.getFields().get(CanonicalFields.TEAM), change.getRecordId());
      } else if (change.getChangeType() == ChangeType.UPDATE) {
        moves.add(change);
      }
    }
    // rare by design: a move every few weeks; a longer history is sure to have some
    List<CrmChange> longer = moves.isEmpty() ? userUpdates(new CrmSimulation(SEED, START).history(START + 120 * DAY)) : moves;
    assertThat(longer).isNotEmpty().allSatisfy(move -> {
      assertThat(move.getFields()).containsOnlyKeys(CanonicalFields.TEAM, CanonicalFields.MANAGER_ID);
      assertThat(move.getFields().get(CanonicalFields.MANAGER_ID)).isEqualTo(managerOfTeam.get(move.getFields().get(CanonicalFields.TEAM)));
    });
  }

  // ---- opportunities -------------------------------------------------------------------------

  @Test
  void opportunitiesPassThroughEveryDefaultStageAndAreWonAndLost() {
    Set<String> stages = new TreeSet<>();
    Map<String, Map<String, Object>> state = new HashMap<>();
    for (CrmChange change : opportunities()) {
      Map<String, Object> deal = state.computeIfAbsent(change.getRecordId(), id -> new HashMap<>());
      deal.putAll(change.getFields());
      Object stage = deal.get(CanonicalFields.STAGE);
      assertThat(DEFAULT_STAGES).contains((String) stage);
      stages.add((String) stage);
      assertThat(deal.get(CanonicalFields.PROBABILITY)).as("probability of %s in %s", change.getRecordId(), stage)
          .isEqualTo(STAGE_PROBABILITY.get(stage));
      assertThat(deal).doesNotContainKey(CanonicalFields.PIPELINE);
    }
    assertThat(stages).containsExactlyInAnyOrderElementsOf(DEFAULT_STAGES);
    assertThat(count(c -> "Closed Won".equals(c.getFields().get(CanonicalFields.STAGE)))).isGreaterThanOrEqualTo(5);
    assertThat(count(c -> "Closed Lost".equals(c.getFields().get(CanonicalFields.STAGE)))).isGreaterThanOrEqualTo(5);
  }

  @Test
  void dealsSometimesSkipAStageAndSometimesRegress() {
    boolean skipped = false;
    boolean regressed = false;
    Map<String, Integer> stageIndex = new HashMap<>();
    for (CrmChange change : opportunities()) {
      Object stage = change.getFields().get(CanonicalFields.STAGE);
      if (stage == null || stage.equals("Closed Lost") || stage.equals("Closed Won")) {
        continue;
      }
      int index = DEFAULT_STAGES.indexOf(stage);
      Integer before = stageIndex.put(change.getRecordId(), index);
      if (before != null) {
        skipped |= index > before + 1;
        regressed |= index < before;
      }
    }
    assertThat(skipped).as("a stage skipped").isTrue();
    assertThat(regressed).as("a stage regressed").isTrue();
  }

  @Test
  void someDealsAreDeletedAndAnUndeleteFollowsADelete() {
    Set<String> deleted = new HashSet<>();
    for (CrmChange change : opportunities()) {
      if (change.getChangeType() == ChangeType.DELETE) {
        assertThat(deleted.add(change.getRecordId())).isTrue();
      } else if (change.getChangeType() == ChangeType.UNDELETE) {
        assertThat(deleted.remove(change.getRecordId())).as("undelete of a deleted deal").isTrue();
      } else if (change.getChangeType() == ChangeType.UPDATE) {
        assertThat(deleted).as("updates of a deleted deal").doesNotContain(change.getRecordId());
      }
    }
    assertThat(opportunities().stream().filter(c -> c.getChangeType() == ChangeType.DELETE)).isNotEmpty();
  }

  @Test
  void someDealsChangeOwnerToARepOfAnotherTeam() {
    Map<String, Object> teamOfUser = new HashMap<>();
    Map<String, Object> ownerOfDeal = new HashMap<>();
    int crossTeam = 0;
    for (CrmChange change : month) {
      if (change.getEntity() == Entity.USER && change.getFields().containsKey(CanonicalFields.TEAM)) {
        teamOfUser.put(change.getRecordId(), change.getFields().get(CanonicalFields.TEAM));
      }
      if (change.getEntity() == Entity.OPPORTUNITY && change.getFields().containsKey(CanonicalFields.OWNER_ID)) {
        Object newOwner = change.getFields().get(CanonicalFields.OWNER_ID);
        assertThat(teamOfUser).as("owner is a known user").containsKey((String) newOwner);
        Object oldOwner = ownerOfDeal.put(change.getRecordId(), newOwner);
        if (change.getChangeType() == ChangeType.UPDATE && !teamOfUser.get(oldOwner).equals(teamOfUser.get(newOwner))) {
          crossTeam++;
        }
      }
    }
    assertThat(crossTeam).isGreaterThanOrEqualTo(1);
  }

  @Test
  void closeDatesArePushedLaterSomeDealsRepeatedly() {
    Map<String, LocalDate> closeDate = new HashMap<>();
    Map<String, String> stage = new HashMap<>();
    Map<String, Integer> pushes = new HashMap<>();
    for (CrmChange change : opportunities()) {
      String id = change.getRecordId();
      Object date = change.getFields().get(CanonicalFields.CLOSE_DATE);
      if (date != null) {
        LocalDate next = LocalDate.parse((String) date);
        LocalDate before = closeDate.put(id, next);
        boolean open = !stage.getOrDefault(id, "").startsWith("Closed") && !change.getFields().containsKey(CanonicalFields.STAGE);
        if (before != null && next.isAfter(before) && open) {
          pushes.merge(id, 1, Integer::sum);
        }
      }
      if (change.getFields().containsKey(CanonicalFields.STAGE)) {
        stage.put(id, (String) change.getFields().get(CanonicalFields.STAGE));
      }
    }
    assertThat(pushes.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(10);
    assertThat(pushes.values()).anySatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
  }

  @Test
  void activitiesComeInBurstsAndPauses() {
    Map<String, List<Long>> activityTimes = new LinkedHashMap<>();
    for (CrmChange change : month) {
      if (change.getEntity() == Entity.ACTIVITY && change.getFields().containsKey(CanonicalFields.OPPORTUNITY_ID)) {
        assertThat(change.getFields().get(CanonicalFields.ACTIVITY_TYPE)).isIn("call", "email", "meeting", "task");
        assertThat(change.getFields()).containsKey(CanonicalFields.OWNER_ID);
        activityTimes.computeIfAbsent((String) change.getFields().get(CanonicalFields.OPPORTUNITY_ID), k -> new ArrayList<>())
            .add(change.getCommitTime());
      }
    }
    int dealsWithBursts = 0;
    int dealsWithPauses = 0;
    for (List<Long> times : activityTimes.values()) {
      boolean burst = false;
      boolean pause = false;
      for (int i = 0; i < times.size(); i++) {
        burst |= i + 2 < times.size() && times.get(i + 2) - times.get(i) <= DAY;
        pause |= i + 1 < times.size() && times.get(i + 1) - times.get(i) >= 3 * DAY;
      }
      dealsWithBursts += burst ? 1 : 0;
      dealsWithPauses += burst && pause ? 1 : 0;
    }
    assertThat(dealsWithBursts).isGreaterThanOrEqualTo(20);
    assertThat(dealsWithPauses).isGreaterThanOrEqualTo(10);
    Set<Object> types = month.stream().filter(c -> c.getEntity() == Entity.ACTIVITY)
        .map(c -> c.getFields().get(CanonicalFields.ACTIVITY_TYPE)).collect(Collectors.toSet());
    assertThat(types).containsExactlyInAnyOrder("call", "email", "meeting", "task");
  }

  @Test
  void someOpenDealsStallWithoutActivityOrMovementForWeeks() {
    Map<String, Long> lastTouched = new HashMap<>();
    Map<String, Boolean> open = new HashMap<>();
    Set<String> stalled = new HashSet<>();
    for (CrmChange change : month) {
      String deal = change.getEntity() == Entity.OPPORTUNITY ? change.getRecordId()
          : change.getEntity() == Entity.ACTIVITY ? (String) change.getFields().get(CanonicalFields.OPPORTUNITY_ID) : null;
      if (deal == null) {
        continue;
      }
      Long last = lastTouched.put(deal, change.getCommitTime());
      if (last != null && open.getOrDefault(deal, false) && change.getCommitTime() - last >= 15 * DAY) {
        stalled.add(deal);
      }
      if (change.getEntity() == Entity.OPPORTUNITY) {
        Object stage = change.getFields().get(CanonicalFields.STAGE);
        boolean nowOpen = change.getChangeType() != ChangeType.DELETE
            && (stage == null ? open.getOrDefault(deal, true) : !((String) stage).startsWith("Closed"));
        open.put(deal, nowOpen);
      }
    }
    lastTouched.forEach((deal, last) -> {
      if (open.getOrDefault(deal, false) && END - last >= 15 * DAY) {
        stalled.add(deal);
      }
    });
    assertThat(stalled).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aFewOpportunitiesLackAmountOrCloseDateAndAmountsAreSkewed() {
    List<CrmChange> created = opportunities().stream().filter(c -> c.getChangeType() == ChangeType.CREATE).toList();
    assertThat(created).hasSizeGreaterThan(150);
    long withoutAmount = created.stream().filter(c -> !c.getFields().containsKey(CanonicalFields.AMOUNT)).count();
    long withoutCloseDate = created.stream().filter(c -> !c.getFields().containsKey(CanonicalFields.CLOSE_DATE)).count();
    assertThat(withoutAmount).isBetween(1L, created.size() / 10L);
    assertThat(withoutCloseDate).isBetween(1L, created.size() / 10L);
    assertThat(created).allSatisfy(c -> assertThat(c.getFields())
        .containsKeys(CanonicalFields.NAME, CanonicalFields.STAGE, CanonicalFields.PROBABILITY, CanonicalFields.CURRENCY,
            CanonicalFields.OWNER_ID, CanonicalFields.LEAD_SOURCE)
        .doesNotContainKey(CanonicalFields.PIPELINE));

    List<Double> amounts = opportunities().stream().map(c -> (Double) c.getFields().get(CanonicalFields.AMOUNT))
        .filter(Objects::nonNull).sorted().toList();
    assertThat(amounts).allSatisfy(a -> assertThat(a).isPositive());
    double median = amounts.get(amounts.size() / 2);
    double mean = amounts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(mean).as("right-skewed").isGreaterThan(1.5 * median);
    assertThat(amounts.get(amounts.size() - 1)).as("some large deals").isGreaterThan(250_000.0);

    Map<Object, Long> currencies = created.stream()
        .collect(Collectors.groupingBy(c -> c.getFields().get(CanonicalFields.CURRENCY), Collectors.counting()));
    assertThat(currencies).containsOnlyKeys("USD", "EUR", "GBP");
    assertThat(currencies.get("USD")).isGreaterThan(currencies.get("EUR") + currencies.get("GBP"));
  }

  @Test
  void newDealsForecastAheadWhileThePipelineFoundAtTheStartHasAgedForecasts() {
    long pastDueAtStart = 0;
    for (CrmChange created : opportunities().stream().filter(c -> c.getChangeType() == ChangeType.CREATE).toList()) {
      Object date = created.getFields().get(CanonicalFields.CLOSE_DATE);
      if (date == null) {
        continue;
      }
      LocalDate closeDate = LocalDate.parse((String) date);
      LocalDate createdOn = LocalDate.ofInstant(Instant.ofEpochMilli(created.getCommitTime()), java.time.ZoneOffset.UTC);
      if (created.getCommitTime() > START + DAY) {
        assertThat(closeDate).as("close date of %s", created.getRecordId()).isAfter(createdOn);
      } else {
        assertThat(closeDate).isAfterOrEqualTo(createdOn.minusDays(21));
        pastDueAtStart += closeDate.isBefore(createdOn) ? 1 : 0;
      }
    }
    assertThat(pastDueAtStart).isPositive();
  }

  // ---- leads ---------------------------------------------------------------------------------

  @Test
  void leadsAreCreatedUntouchedFromEverySourceWebTheMost() {
    List<CrmChange> leads = month.stream().filter(c -> c.getEntity() == Entity.LEAD && c.getChangeType() == ChangeType.CREATE).toList();
    assertThat(leads).allSatisfy(lead -> assertThat(lead.getFields())
        .containsEntry(CanonicalFields.STATUS, "Open - Not Contacted")
        .containsKeys(CanonicalFields.NAME, CanonicalFields.OWNER_ID, CanonicalFields.LEAD_SOURCE));
    Map<Object, Long> bySource = leads.stream()
        .collect(Collectors.groupingBy(c -> c.getFields().get(CanonicalFields.LEAD_SOURCE), Collectors.counting()));
    assertThat(bySource).containsOnlyKeys("Web", "Partner Referral", "Trade Show", "Phone Inquiry", "Purchased List",
        "Employee Referral");
    long web = bySource.get("Web");
    assertThat(bySource.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(web));
  }

  @Test
  void leadsAreConvertedIntoAnOpportunityInTheSameCommitOrDisqualified() {
    Map<String, CrmChange> opportunityCreates = new HashMap<>();
    opportunities().stream().filter(c -> c.getChangeType() == ChangeType.CREATE).forEach(c -> opportunityCreates.put(c.getRecordId(), c));
    List<CrmChange> conversions = month.stream()
        .filter(c -> c.getEntity() == Entity.LEAD && Boolean.TRUE.equals(c.getFields().get(CanonicalFields.CONVERTED))).toList();
    assertThat(conversions).hasSizeGreaterThanOrEqualTo(20).allSatisfy(conversion -> {
      assertThat(conversion.getFields()).containsEntry(CanonicalFields.STATUS, "Closed - Converted");
      CrmChange opportunity = opportunityCreates.get((String) conversion.getFields().get(CanonicalFields.CONVERTED_OPPORTUNITY_ID));
      assertThat(opportunity).as("opportunity of %s", conversion.getRecordId()).isNotNull();
      assertThat(opportunity.getCommitTime()).isEqualTo(conversion.getCommitTime());
    });
    assertThat(count(c -> c.getEntity() == Entity.LEAD && "Closed - Not Converted".equals(c.getFields().get(CanonicalFields.STATUS))))
        .isGreaterThanOrEqualTo(100);
  }

  @Test
  void leadsAreTouchedWithinMinutesOrAfterHoursOrNever() {
    Map<String, Long> created = new HashMap<>();
    Map<String, Long> firstTouch = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    for (CrmChange change : month) {
      if (change.getEntity() == Entity.LEAD) {
        switch (change.getChangeType()) {
          case CREATE -> created.put(change.getRecordId(), change.getCommitTime());
          case DELETE -> deleted.add(change.getRecordId());
          default -> firstTouch.putIfAbsent(change.getRecordId(), change.getCommitTime());
        }
      } else if (change.getEntity() == Entity.ACTIVITY && change.getFields().containsKey(CanonicalFields.LEAD_ID)) {
        assertThat(change.getFields().get(CanonicalFields.ACTIVITY_TYPE)).isIn("call", "email");
        firstTouch.putIfAbsent((String) change.getFields().get(CanonicalFields.LEAD_ID), change.getCommitTime());
      }
    }
    long withinTenMinutes = firstTouch.entrySet().stream().filter(e -> e.getValue() - created.get(e.getKey()) <= 10 * 60_000).count();
    long afterAnHour = firstTouch.entrySet().stream().filter(e -> e.getValue() - created.get(e.getKey()) > HOUR).count();
    long neverTouched = created.entrySet().stream()
        .filter(e -> e.getValue() < END - 3 * DAY && !firstTouch.containsKey(e.getKey()) && !deleted.contains(e.getKey())).count();
    assertThat(withinTenMinutes).isGreaterThan(afterAnHour);
    assertThat(afterAnHour).as("SLA breaches").isGreaterThanOrEqualTo(20);
    assertThat(neverTouched).isGreaterThanOrEqualTo(10);
    assertThat(deleted).as("junk leads deleted").isNotEmpty();
  }

  @Test
  void referralsConvertBetterThanWebLeads() {
    Map<String, String> source = new HashMap<>();
    Map<String, int[]> outcomes = new HashMap<>();
    for (CrmChange change : month) {
      if (change.getEntity() != Entity.LEAD) {
        continue;
      }
      if (change.getChangeType() == ChangeType.CREATE) {
        source.put(change.getRecordId(), (String) change.getFields().get(CanonicalFields.LEAD_SOURCE));
      }
      Object status = change.getFields().get(CanonicalFields.STATUS);
      int[] counts = outcomes.computeIfAbsent(source.get(change.getRecordId()), k -> new int[2]);
      if ("Closed - Converted".equals(status)) {
        counts[0]++;
      } else if ("Closed - Not Converted".equals(status)) {
        counts[1]++;
      }
    }
    assertThat(rate(outcomes.get("Partner Referral"))).isGreaterThan(2 * rate(outcomes.get("Web")));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static double rate(int[] convertedAndDisqualified) {
    return convertedAndDisqualified[0] / (double) (convertedAndDisqualified[0] + convertedAndDisqualified[1]);
  }

  private static List<CrmChange> opportunities() {
    return month.stream().filter(c -> c.getEntity() == Entity.OPPORTUNITY).toList();
  }

  private static long count(java.util.function.Predicate<CrmChange> predicate) {
    return month.stream().filter(predicate).count();
  }

  private static List<CrmChange> userUpdates(List<CrmChange> events) {
    return events.stream().filter(c -> c.getEntity() == Entity.USER && c.getChangeType() == ChangeType.UPDATE).toList();
  }

  private static List<String> json(List<CrmChange> events) {
    return events.stream().map(CanonicalJson::format).toList();
  }
}
