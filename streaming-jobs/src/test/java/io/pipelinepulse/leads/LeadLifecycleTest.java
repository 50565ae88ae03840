package io.pipelinepulse.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.facts.AwaitingDelta;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.LeadResolved;
import io.pipelinepulse.facts.LeadTouched;
import io.pipelinepulse.facts.SlaBreach;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.testing.LifecycleHarness;
import io.pipelinepulse.testing.Changes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lead's life: touch, breach on the clock, resolution, and nothing left behind. */
class LeadLifecycleTest {

  private static final long T = 1_700_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private LifecycleHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = harness("leads:\n  response-sla-by-source:\n    Web: 30m\n");
  }

  private static LifecycleHarness harness(String yaml)
      throws Exception {
    PulseConfig config = PulseConfigLoader.fromYaml(yaml);
    return LifecycleHarness.open(new LeadLifecycle(config.leads(), config.alerts()),
        record -> LeadLifecycle.keyOf(record.change), config);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(CrmChange change) throws Exception {
    harness.processElement(LifecycleHarness.ingested(change), change.getCommitTime());
  }

  private void created(long time, String source) throws Exception {
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.CREATE, time, "status", "Open - Not Contacted",
        "leadSource", source, "ownerId", "u1"));
  }

  private List<String> facts() {
    List<String> lines = harness.extractOutputValues().stream().map(LeadLifecycleTest::line).toList();
    harness.getOutput().clear();
    return lines;
  }

  /** A fact as "Kind +minutes source count", with the response time or the resolution. */
  private static String line(Fact fact) {
    String at = kind(fact) + " +" + (fact.time() - T) / MINUTE + "m ";
    if (fact instanceof AwaitingDelta awaiting) {
      return at + awaiting.leadSource() + String.format(Locale.ROOT, " %+d", awaiting.count());
    }
    if (fact instanceof LeadTouched touched) {
      return at + touched.leadSource() + " +1 response=" + touched.responseMillis() / MINUTE + "m";
    }
    if (fact instanceof LeadResolved resolved) {
      return at + resolved.leadSource() + " +1 " + resolved.outcome().label();
    }
    return at + ((SlaBreach) fact).leadSource() + " +1";
  }

  private static String kind(Fact fact) {
    return fact.getClass().getSimpleName();
  }

  @Test
  void anUntouchedLeadBreachesWhenTheClockPassesItsSourcesSlaWithNoFurtherInput() throws Exception {
    created(T, "Web");
    harness.watermark(T + 30 * MINUTE - 1);
    assertThat(facts()).containsExactly("AwaitingDelta +0m Web +1");
    harness.watermark(T + 30 * MINUTE);
    assertThat(facts()).containsExactly("SlaBreach +30m Web +1");
  }

  @Test
  void anActivityOwnedByAPersonIsTheFirstTouchAndPreventsTheBreach() throws Exception {
    created(T, "Partner Referral");
    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 5 * MINUTE, "leadId", "00Q1"));
    send(Changes.change(Entity.ACTIVITY, "00T2", ChangeType.CREATE, T + 7 * MINUTE, "leadId", "00Q1",
        "ownerId", "u1"));
    harness.watermark(T + 2 * 60 * MINUTE);
    assertThat(facts()).containsExactly("AwaitingDelta +0m Partner Referral +1",
        "LeadTouched +7m Partner Referral +1 response=7m", "AwaitingDelta +7m Partner Referral -1");
  }

  @Test
  void anActivityOfALeadAndADealCountsItsOutcomeWhereTheDealIsButTouchesTheLead() throws Exception {
    created(T, "Web");
    CrmChange ofBoth = Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 5 * MINUTE, "leadId", "00Q1",
        "opportunityId", "006A", "ownerId", "u1");
    send(ofBoth);
    send(CrmChange.newBuilder(ofBoth).build());
    send(Changes.change(Entity.ACTIVITY, "00T2", ChangeType.CREATE, T + 6 * MINUTE, "leadId", "00Q1"));
    harness.watermark(T + 10 * MINUTE);
    assertThat(facts()).contains("LeadTouched +5m Web +1 response=5m");
    assertThat(harness.getSideOutput(io.pipelinepulse.ingest.IngestOutputs.OUTCOMES))
        .extracting(record -> record.getValue().entity + " " + record.getValue().outcome)
        .containsExactly("lead accepted", "activity accepted");
  }

  @Test
  void conversionTouchesResolvesAndLeavesNoStateOrTimerAfterTheRetention() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 10 * MINUTE, "status", "Closed - Converted",
        "converted", true));
    harness.watermark(T + 10 * MINUTE);
    assertThat(facts()).containsExactly("AwaitingDelta +0m Web +1", "LeadTouched +10m Web +1 response=10m",
        "AwaitingDelta +10m Web -1", "LeadResolved +10m Web +1 converted");
    assertThat(harness.numEventTimeTimers()).as("the retention timer only").isEqualTo(1);

    // HubSpot: the lifecycle stage moves on, the owner changes: not a new lead, not a second conversion
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 20 * MINUTE, "converted", true));
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 30 * MINUTE, "ownerId", "u-west"));
    harness.watermark(T + 30 * MINUTE);
    assertThat(facts()).isEmpty();

    long retentionEnds = T + 10 * MINUTE + 30 * DAY;
    harness.watermark(retentionEnds - 1);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isPositive();
    harness.watermark(retentionEnds);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void anUntouchedLeadExpiresAfterItsExpiryTimeCountedAsExpiredItsAlertResolvedAndThenForgotten()
      throws Exception {
    created(T, "Web");
    harness.watermark(T + 30 * MINUTE);
    assertThat(facts()).containsExactly("AwaitingDelta +0m Web +1", "SlaBreach +30m Web +1");
    assertThat(alertEvents()).extracting(AlertEvent::getStatus).containsExactly(AlertStatus.FIRING);

    harness.watermark(T + 30 * DAY - 1);
    assertThat(facts()).isEmpty();
    harness.watermark(T + 30 * DAY);
    assertThat(facts()).containsExactly("LeadResolved +43200m Web +1 expired", "AwaitingDelta +43200m Web -1");
    assertThat(alertEvents()).singleElement().satisfies(alert -> {
      assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(alert.getReason()).isEqualTo("expired");
      assertThat(alert.getEndsAt()).isEqualTo(T + 30 * DAY);
    });
    assertThat(harness.numEventTimeTimers()).as("the retention timer only").isEqualTo(1);

    // a late activity within the retention is no new lead
    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 31 * DAY, "leadId", "00Q1", "ownerId", "u1"));
    harness.watermark(T + 60 * DAY);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aChangeOrALinkedActivityPostponesTheExpiryAndATouchedLeadExpiresUncounted() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 10 * DAY, "ownerId", "u2"));
    harness.watermark(T + 39 * DAY);
    facts();
    assertThat(harness.numEventTimeTimers()).as("the expiry timer, set again once").isEqualTo(1);
    harness.watermark(T + 40 * DAY);
    assertThat(facts()).containsExactly("LeadResolved +57600m Web +1 expired", "AwaitingDelta +57600m Web -1");

    send(Changes.change(Entity.LEAD, "00Q2", ChangeType.CREATE, T + 41 * DAY, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u1"));
    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 41 * DAY + MINUTE, "leadId", "00Q2",
        "ownerId", "u1"));
    send(Changes.change(Entity.ACTIVITY, "00T2", ChangeType.CREATE, T + 60 * DAY, "leadId", "00Q2"));
    harness.watermark(T + 90 * DAY);
    assertThat(facts()).as("touched: no longer awaiting, so not counted when it expires").hasSize(3)
        .noneMatch(line -> line.contains("expired"));
    harness.watermark(T + 90 * DAY + 1);
    assertThat(facts()).isEmpty();
    assertThat(LifecycleHarness.keyedStateEntries(harness)).as("remembered by id until the retention ends").isPositive();
    harness.watermark(T + 120 * DAY + 1);
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aConversionIsCountedOnceWhateverTheRetentionSinceALeadFirstSeenResolvedIsNot() throws Exception {
    for (String retention : List.of("1ms", "1m", "30d")) {
      harness.close();
      harness = harness("leads:\n  resolved-retention: " + retention + "\n");
      created(T, "Web");
      send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + MINUTE, "status", "Closed - Converted"));
      // full row images after it (Debezium without a before image): the status again, days later
      for (int day = 1; day <= 40; day += 13) {
        send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + day * DAY, "status", "Closed - Converted",
            "ownerId", "u" + day));
      }
      // a snapshot read of a lead converted before the job began
      send(Changes.change(Entity.LEAD, "00Q9", ChangeType.CREATE, T + 2 * DAY, "status", "Closed - Converted",
          "leadSource", "Web"));
      harness.watermark(T + 100 * DAY);
      assertThat(facts()).as("retention " + retention).filteredOn(line -> line.startsWith("LeadResolved"))
          .containsExactly("LeadResolved +1m Web +1 converted");
      assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void aYearOfLeadsThatAreNeverWorkedLeftOpenOrConvertedKeepsAsMuchStateAsTwoMonthsDo() throws Exception {
    int perKindAndDay = 5;
    int[] entries = new int[366];
    int[] timers = new int[366];
    for (int day = 0; day < 366; day++) {
      long morning = T + day * DAY;
      for (int i = 0; i < perKindAndDay; i++) {
        String id = day + "-" + i;
        // never worked: breaches, then expires
        send(Changes.change(Entity.LEAD, "U" + id, ChangeType.CREATE, morning, "status", "Open - Not Contacted",
            "leadSource", "Web", "ownerId", "u1"));
        // worked once, then left open
        send(Changes.change(Entity.LEAD, "W" + id, ChangeType.CREATE, morning, "status", "Open - Not Contacted",
            "leadSource", "Web", "ownerId", "u1"));
        send(Changes.change(Entity.ACTIVITY, "T" + id, ChangeType.CREATE, morning + 10 * MINUTE, "leadId", "W" + id,
            "ownerId", "u1"));
        // converted two days later
        send(Changes.change(Entity.LEAD, "C" + id, ChangeType.CREATE, morning, "status", "Open - Not Contacted",
            "leadSource", "Web", "ownerId", "u1"));
        if (day >= 2) {
          send(Changes.change(Entity.LEAD, "C" + (day - 2) + "-" + i, ChangeType.UPDATE, morning + MINUTE, "status",
              "Closed - Converted"));
        }
        // first seen through an edit
        send(Changes.change(Entity.LEAD, "E" + id, ChangeType.UPDATE, morning, "ownerId", "u1"));
      }
      harness.watermark(morning + 12 * 60 * MINUTE);
      harness.getOutput().clear();
      if (harness.getSideOutput(OpenAlerts.EVENTS) != null) {
        harness.getSideOutput(OpenAlerts.EVENTS).clear();
      }
      entries[day] = LifecycleHarness.keyedStateEntries(harness);
      timers[day] = harness.numEventTimeTimers();
    }
    // a lead is held at most 30 days after its last change, its id 30 more: about 60 days' leads
    int sixtyDays = 60 * 4 * perKindAndDay;
    assertThat(entries[365]).as("state entries after a year").isLessThanOrEqualTo(2 * sixtyDays)
        .isBetween(entries[180] - entries[180] / 50, entries[180] + entries[180] / 50);
    assertThat(timers[365]).as("timers after a year").isLessThanOrEqualTo(sixtyDays)
        .isBetween(timers[180] - timers[180] / 50, timers[180] + timers[180] / 50);
    assertThat(entries[365]).as("far less than a year of leads").isLessThan(365 * 4 * perKindAndDay / 3);
  }

  @Test
  void aLeadFirstSeenByAnUpdateNeverAwaitsSinceItsCreationIsUnknown() throws Exception {
    send(Changes.change(Entity.LEAD, "00Q7", ChangeType.UPDATE, T, "ownerId", "u-east", "leadSource", "Web"));
    harness.watermark(T + 3 * 60 * MINUTE);
    assertThat(facts()).isEmpty();
    assertThat(harness.numEventTimeTimers()).as("no SLA deadline, the expiry only").isEqualTo(1);
  }

  @Test
  void aDeletedLeadStopsAwaitingAndLeavesNoStateOrTimer() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.DELETE, T + MINUTE));
    harness.watermark(T + MINUTE);
    assertThat(facts()).containsExactly("AwaitingDelta +0m Web +1", "AwaitingDelta +1m Web -1");
    assertThat(LifecycleHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private static final String EAST_HOURS = String.join("\n",
      "leads:",
      "  business-hours:",
      "    East: {zone: America/New_York, days: [MON, TUE, WED, THU, FRI], from: \"09:00\", to: \"17:00\"}",
      "directory:",
      "  users:",
      "    - id: u1",
      "      team: East",
      "");
  /** Friday 2026-01-09 16:30 in New York. */
  private static final long FRIDAY_1630_NY = Instant.parse("2026-01-09T21:30:00Z").toEpochMilli();
  /** Monday 2026-01-12 09:30 in New York: half an hour of Friday's and half of Monday's hours later. */
  private static final long MONDAY_0930_NY = Instant.parse("2026-01-12T14:30:00Z").toEpochMilli();

  @Test
  void theSlaCountsOnlyTheBusinessHoursOfTheOwnersTeam() throws Exception {
    harness.close();
    harness = harness(EAST_HOURS);
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.CREATE, FRIDAY_1630_NY, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u1"));
    harness.watermark(MONDAY_0930_NY - 1);
    assertThat(harness.extractOutputValues()).extracting(LeadLifecycleTest::kind).containsExactly("AwaitingDelta");
    harness.getOutput().clear();
    harness.watermark(MONDAY_0930_NY);
    assertThat(harness.extractOutputValues()).singleElement().satisfies(f -> {
      assertThat(f).isInstanceOf(SlaBreach.class);
      assertThat(f.time()).isEqualTo(MONDAY_0930_NY);
    });
  }

  @Test
  void theTeamAtCreationFromUserChangesDecidesTheHoursAndLaterMovesDoNot() throws Exception {
    harness.close();
    harness = harness(EAST_HOURS);
    // u2 is in no configured team; a user change puts them in East before the lead is created
    harness.processBroadcastElement(Changes.change(Entity.USER, "u2", ChangeType.UPDATE, FRIDAY_1630_NY - MINUTE,
        "team", "East"), FRIDAY_1630_NY - MINUTE);
    send(Changes.change(Entity.LEAD, "00Q2", ChangeType.CREATE, FRIDAY_1630_NY, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u2"));
    // and moves them to a team without business hours after it
    harness.processBroadcastElement(Changes.change(Entity.USER, "u2", ChangeType.UPDATE, FRIDAY_1630_NY + MINUTE,
        "team", "West"), FRIDAY_1630_NY + MINUTE);
    harness.watermark(FRIDAY_1630_NY + 2 * 60 * MINUTE);
    assertThat(harness.extractOutputValues()).extracting(LeadLifecycleTest::kind).doesNotContain("SlaBreach");
    harness.watermark(MONDAY_0930_NY);
    assertThat(harness.extractOutputValues()).extracting(LeadLifecycleTest::kind).contains("SlaBreach");
  }

  @Test
  void aTeamWithoutBusinessHoursCountsAroundTheClock() throws Exception {
    harness.close();
    harness = harness(EAST_HOURS);
    send(Changes.change(Entity.LEAD, "00Q3", ChangeType.CREATE, FRIDAY_1630_NY, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u9"));
    harness.watermark(FRIDAY_1630_NY + 60 * MINUTE);
    assertThat(harness.extractOutputValues()).extracting(LeadLifecycleTest::kind).contains("SlaBreach");
  }

  @Test
  void aBreachOpensAnAlertOnTimeThatTheFirstTouchResolves() throws Exception {
    created(T, "Web");
    harness.watermark(T + 30 * MINUTE);
    List<AlertEvent> events = alertEvents();
    assertThat(events).singleElement().satisfies(alert -> {
      assertThat(alert.getAlertName()).isEqualTo("LeadResponseSlaBreached");
      assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
      assertThat(alert.getStartsAt()).isEqualTo(T + 30 * MINUTE);
      assertThat(alert.getLabels()).containsOnlyKeys("alertname", "severity", "team", "lead_source", "lead_id",
          "owner_id").containsEntry("lead_id", "00Q1").containsEntry("lead_source", "Web");
      assertThat(alert.getAnnotations().get("description")).contains("30 min")
          .contains("Created " + io.pipelinepulse.alerts.AlertTexts.moment(T))
          .contains("breached at " + io.pipelinepulse.alerts.AlertTexts.moment(T + 30 * MINUTE));
      assertThat(alert.getAnnotations().get("summary"))
          .isEqualTo("Lead 00Q1 has had no response since " + io.pipelinepulse.alerts.AlertTexts.moment(T));
      assertThat(alert.getAnnotations()).containsKeys("summary", "runbook_url", "record_url");
    });
    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 45 * MINUTE, "leadId", "00Q1",
        "ownerId", "u1"));
    harness.watermark(T + 45 * MINUTE);
    assertThat(alertEvents()).singleElement().satisfies(alert -> {
      assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(alert.getEndsAt()).isEqualTo(T + 45 * MINUTE);
      assertThat(alert.getLabels()).isEqualTo(events.get(0).getLabels());
    });
  }

  @Test
  void aLeadTouchedInTimeNeverAlerts() throws Exception {
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 10 * MINUTE, "status", "Working - Contacted"));
    harness.watermark(T + 3 * 60 * MINUTE);
    assertThat(alertEvents()).isEmpty();
  }

  @Test
  void aBreachedLeadsAlertFollowsItsOwnerToANewTeamAndTheLeadToANewOwner() throws Exception {
    harness.processBroadcastElement(Changes.change(Entity.USER, "u1", ChangeType.UPDATE, T - MINUTE, "team", "East"),
        T - MINUTE);
    harness.processBroadcastElement(Changes.change(Entity.USER, "u2", ChangeType.UPDATE, T - MINUTE, "team", "Central"),
        T - MINUTE);
    harness.processBroadcastElement(Changes.change(Entity.USER, "u1", ChangeType.UPDATE, T + 3 * 60 * MINUTE, "team",
        "West"), T + 3 * 60 * MINUTE);
    created(T, "Web");
    harness.watermark(T + 30 * MINUTE);
    assertThat(alertEvents()).extracting(LeadLifecycleTest::routing).containsExactly("FIRING East u1");

    harness.watermark(T + 3 * 60 * MINUTE);
    assertThat(alertEvents()).extracting(LeadLifecycleTest::routing)
        .containsExactly("RESOLVED East u1 reassigned", "FIRING West u1");

    send(Changes.change(Entity.LEAD, "00Q1", ChangeType.UPDATE, T + 4 * 60 * MINUTE, "ownerId", "u2"));
    harness.watermark(T + 4 * 60 * MINUTE);
    List<AlertEvent> moved = alertEvents();
    assertThat(moved).extracting(LeadLifecycleTest::routing)
        .containsExactly("RESOLVED West u1 reassigned", "FIRING Central u2");
    assertThat(moved.get(1).getStartsAt()).isEqualTo(T + 4 * 60 * MINUTE);

    send(Changes.change(Entity.ACTIVITY, "00T1", ChangeType.CREATE, T + 5 * 60 * MINUTE, "leadId", "00Q1",
        "ownerId", "u2"));
    harness.watermark(T + 5 * 60 * MINUTE);
    assertThat(alertEvents()).extracting(LeadLifecycleTest::routing).containsExactly("RESOLVED Central u2 touched");
  }

  @Test
  void theBreachAlertNamesTheLeadAndItsCompanyInItsSummary() throws Exception {
    send(Changes.change(Entity.LEAD, "00Q5", ChangeType.CREATE, T, "status", "Open - Not Contacted",
        "leadSource", "Web", "ownerId", "u1", "name", "Jane Doe", "company", "Acme Corp"));
    harness.watermark(T + 30 * MINUTE);
    assertThat(alertEvents()).singleElement().satisfies(alert -> {
      assertThat(alert.getAnnotations().get("summary")).isEqualTo("Lead \"Jane Doe, Acme Corp\" (00Q5) has had no"
          + " response since " + io.pipelinepulse.alerts.AlertTexts.moment(T));
      assertThat(alert.getLabels().values()).noneMatch(value -> value.contains("Jane") || value.contains("Acme"));
    });
  }

  private static String routing(AlertEvent event) {
    return event.getStatus() + " " + event.getLabels().get("team") + " " + event.getLabels().get("owner_id")
        + (event.getReason() == null ? "" : " " + event.getReason());
  }

  private List<AlertEvent> alertEvents() {
    if (harness.getSideOutput(OpenAlerts.EVENTS) == null) {
      return List.of();
    }
    List<AlertEvent> events = harness.getSideOutput(OpenAlerts.EVENTS).stream().map(r -> r.getValue()).toList();
    harness.getSideOutput(OpenAlerts.EVENTS).clear();
    return events;
  }

  @Test
  void anAwaitingLeadMovesWithItsOwnersTeamAndATouchedOneDoesNot() throws Exception {
    harness.processBroadcastElement(Changes.change(Entity.USER, "u1", ChangeType.UPDATE, T - MINUTE, "team", "East"),
        T - MINUTE);
    created(T, "Web");
    send(Changes.change(Entity.LEAD, "00Q2", ChangeType.CREATE, T, "status", "Working", "leadSource", "Web",
        "ownerId", "u1"));
    harness.watermark(T);
    harness.getOutput().clear();
    harness.processBroadcastElement(Changes.change(Entity.USER, "u1", ChangeType.UPDATE, T + 10 * MINUTE,
        "team", "North"), T + 10 * MINUTE);
    harness.watermark(T + 10 * MINUTE);
    assertThat(harness.extractOutputValues()).filteredOn(f -> f instanceof AwaitingDelta)
        .extracting(f -> line(f) + " " + f.team())
        .containsExactly("AwaitingDelta +10m Web -1 East", "AwaitingDelta +10m Web +1 North");
  }
}
