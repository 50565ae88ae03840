package io.pipelinepulse.localstack.simulator;

import static io.pipelinepulse.localstack.simulator.SimContext.DAY;
import static io.pipelinepulse.localstack.simulator.SimContext.HOUR;
import static io.pipelinepulse.localstack.simulator.SimContext.days;
import static io.pipelinepulse.localstack.simulator.SimContext.hours;
import static io.pipelinepulse.localstack.simulator.SimContext.minutes;

import io.pipelinepulse.schema.codec.CanonicalFields;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Leads: their arrival, routing, first response, follow-up and resolution. */
final class LeadDesk {

  static final String STATUS_UNTOUCHED = "Open - Not Contacted";
  static final String STATUS_WORKING = "Working - Contacted";
  static final String STATUS_CONVERTED = "Closed - Converted";
  static final String STATUS_DISQUALIFIED = "Closed - Not Converted";

  /** Buyers' working day, which shapes when inbound leads arrive. */
  private static final ZoneId MARKET_ZONE = ZoneId.of("America/Chicago");
  /** Marketing operations imports lists during its office hours. */
  private static final WorkCalendar MARKETING_OPS = new WorkCalendar(MARKET_ZONE);
  /**
   * Hours at full inbound demand that make up one weekday: 10 office hours at full rate, 6 shoulder
   * hours at 30 % and 8 night hours at 6 %.
   */
  private static final double PEAK_HOURS_PER_WEEKDAY = 10 + 6 * 0.30 + 8 * 0.06;

  private static final double AFTER_HOURS_RESPONSE_RATE = 0.45;

  private enum Outcome { CONVERT, DISQUALIFY, NURTURE }

  private final SimContext ctx;
  private final DealDesk deals;

  LeadDesk(SimContext ctx, DealDesk deals) {
    this.ctx = ctx;
    this.deals = deals;
  }

  void start(long start) {
    for (LeadSource source : LeadSource.values()) {
      if (source.weekdayVolume() > 0) {
        planNextInbound(source, start);
      }
      if (source.batchSize() > 0) {
        long firstImport = ctx.workTime(start + days(ctx.random.between(1.0, 10.0)), MARKETING_OPS);
        ctx.clock.at(firstImport, () -> importBatch(source));
      }
    }
  }

  /**
   * Inbound leads follow the buyers' day: a Poisson stream at peak rate, of which each candidate
   * is kept with the demand of its hour (thinning), so nights and weekends stay quiet.
   */
  private void planNextInbound(LeadSource source, long from) {
    double peakPerMilli = source.weekdayVolume() / PEAK_HOURS_PER_WEEKDAY / HOUR;
    long candidate = from + Math.max(1, Math.round(ctx.random.exponential(1.0 / peakPerMilli)));
    ctx.clock.at(candidate, () -> {
      if (ctx.random.chance(demand(candidate))) {
        createLead(source, route(source));
      }
      planNextInbound(source, candidate);
    });
  }

  private static double demand(long time) {
    ZonedDateTime local = Instant.ofEpochMilli(time).atZone(MARKET_ZONE);
    int hour = local.getHour();
    double byHour = hour >= 8 && hour < 18 ? 1.0 : (hour >= 6 && hour < 22 ? 0.30 : 0.06);
    DayOfWeek day = local.getDayOfWeek();
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    return weekend ? byHour * 0.25 : byHour;
  }

  /** Trade-show scans and purchased lists land all at once, spread over a few minutes of import. */
  private void importBatch(LeadSource source) {
    int size = Math.max(10, (int) Math.round(ctx.random.logNormal(source.batchSize(), 0.35)));
    long time = ctx.now();
    for (int i = 0; i < size; i++) {
      time += ctx.random.millisBetween(java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(4));
      ctx.clock.at(time, () -> createLead(source, route(source)));
    }
    long nextImport = ctx.workTime(ctx.now() + days(ctx.random.between(12.0, 26.0)), MARKETING_OPS);
    ctx.clock.at(nextImport, () -> importBatch(source));
  }

  private SalesUser route(LeadSource source) {
    Team team;
    if (ctx.random.chance(source.enterpriseShare())) {
      team = ctx.org.team(SalesOrg.ENTERPRISE);
    } else {
      List<Team> regional = new ArrayList<>();
      for (Team candidate : ctx.org.teams()) {
        if (!candidate.name().equals(SalesOrg.ENTERPRISE)) {
          regional.add(candidate);
        }
      }
      team = ctx.random.pick(regional);
    }
    return ctx.org.nextRep(team);
  }

  private void createLead(LeadSource source, SalesUser owner) {
    long now = ctx.now();
    Lead lead = new Lead(ctx.ids.next(RecordIds.LEAD), source, owner, ctx.names.company());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.NAME, ctx.names.person());
    fields.put(CanonicalFields.LEAD_SOURCE, source.label());
    fields.put(CanonicalFields.OWNER_ID, owner.id());
    fields.put(CanonicalFields.STATUS, STATUS_UNTOUCHED);
    fields.put(CanonicalFields.CONVERTED, Boolean.FALSE);
    ctx.emitter.create(lead, now, fields);

    if (ctx.random.chance(source.spamRate())) {
      ctx.clock.at(ctx.workTime(now + Math.round(ctx.random.exponential(4 * HOUR)), owner), () -> {
        if (lead.isOpen()) {
          ctx.emitter.delete(lead, ctx.now());
        }
      });
      return;
    }
    if (ctx.random.chance(source.neverTouchedRate() * owner.team().responseDelayFactor())) {
      return;
    }
    long intended = now + firstResponseDelay(source, owner.team());
    // Reps watch their phones for new leads: many answer after hours; the rest wait for the morning.
    boolean afterHours = !owner.calendar().isWorkingTime(intended) && ctx.random.chance(AFTER_HOURS_RESPONSE_RATE);
    ctx.clock.at(afterHours ? intended : ctx.workTime(intended, owner), () -> firstTouch(lead));
  }

  /**
   * Usually minutes; sometimes the rep is busy and it takes hours, which breaches the usual
   * one-hour response SLA even within office hours.
   */
  private long firstResponseDelay(LeadSource source, Team team) {
    double lateChance = Math.min(0.6, 0.07 * team.responseDelayFactor() * Math.sqrt(source.responseDelayScale()));
    if (ctx.random.chance(lateChance)) {
      return HOUR + Math.min(3 * DAY, Math.round(ctx.random.exponential(5 * HOUR)));
    }
    return Math.round(ctx.random.exponential(minutes(12) * team.responseDelayFactor() * source.responseDelayScale()));
  }

  private void firstTouch(Lead lead) {
    if (!lead.isOpen()) {
      return;
    }
    long now = ctx.now();
    long statusAt = now;
    // Most reps log the call or e-mail and then update the status; some only update the status.
    if (ctx.random.chance(0.88)) {
      logTouch(lead);
      statusAt = now + ctx.random.millisBetween(java.time.Duration.ofSeconds(5), java.time.Duration.ofMinutes(3));
    }
    ctx.clock.at(statusAt, () -> {
      if (lead.isOpen()) {
        ctx.emitter.update(lead, ctx.now(), Map.of(CanonicalFields.STATUS, STATUS_WORKING));
      }
    });

    LeadSource source = lead.source();
    double convert = source.conversionRate() * lead.owner().team().conversionFactor();
    double draw = ctx.random.uniform();
    Outcome outcome = draw < convert ? Outcome.CONVERT
        : draw < convert + source.disqualificationRate() ? Outcome.DISQUALIFY
        : Outcome.NURTURE;
    int followUps = outcome == Outcome.NURTURE ? ctx.random.between(1, 5) : ctx.random.between(0, 4);
    continueWorking(lead, followUps, outcome, statusAt);
  }

  private void continueWorking(Lead lead, int touchesLeft, Outcome outcome, long from) {
    SalesUser owner = lead.owner();
    if (touchesLeft > 0) {
      ctx.clock.at(ctx.workTime(from + days(ctx.random.between(0.5, 4.0)), owner), () -> {
        if (lead.isOpen()) {
          logTouch(lead);
          continueWorking(lead, touchesLeft - 1, outcome, ctx.now());
        }
      });
    } else if (outcome != Outcome.NURTURE) {
      ctx.clock.at(ctx.workTime(from + hours(ctx.random.between(0.2, 48.0)), owner), () -> resolve(lead, outcome));
    }
  }

  private void logTouch(Lead lead) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.ACTIVITY_TYPE, ctx.random.chance(0.6) ? "call" : "email");
    fields.put(CanonicalFields.LEAD_ID, lead.id());
    fields.put(CanonicalFields.OWNER_ID, lead.owner().id());
    ctx.emitter.activity(ctx.ids.next(RecordIds.TASK), ctx.now(), fields);
  }

  private void resolve(Lead lead, Outcome outcome) {
    if (!lead.isOpen()) {
      return;
    }
    long now = ctx.now();
    lead.markResolved();
    if (outcome == Outcome.CONVERT) {
      // As in Salesforce, conversion creates the opportunity and closes the lead in one commit.
      Deal deal = deals.openFromLead(lead);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(CanonicalFields.STATUS, STATUS_CONVERTED);
      fields.put(CanonicalFields.CONVERTED, Boolean.TRUE);
      fields.put(CanonicalFields.CONVERTED_OPPORTUNITY_ID, deal.id());
      ctx.emitter.update(lead, now, fields);
    } else {
      ctx.emitter.update(lead, now, Map.of(CanonicalFields.STATUS, STATUS_DISQUALIFIED));
    }
  }
}
