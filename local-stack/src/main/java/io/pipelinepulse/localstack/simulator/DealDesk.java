package io.pipelinepulse.localstack.simulator;

import static io.pipelinepulse.localstack.simulator.SimContext.HOUR;
import static io.pipelinepulse.localstack.simulator.SimContext.days;
import static io.pipelinepulse.localstack.simulator.SimContext.hours;
import static io.pipelinepulse.localstack.simulator.SimContext.minutes;

import io.pipelinepulse.schema.codec.CanonicalFields;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opportunities: creation, stage progression, activity, close-date forecasting, hand-overs,
 * deletions. Each deal runs three independent processes (stage, activity, close-date review), as
 * a rep's calendar, the buyer's decisions and the forecast meeting do in real life.
 */
final class DealDesk {

  private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP");
  private static final double[] CURRENCY_WEIGHTS = {0.80, 0.12, 0.08};
  /** Units of each currency per US dollar; only used to size deals, the job has its own rates. */
  private static final double[] PER_USD = {1.0, 0.92, 0.79};

  private static final double MISSING_AMOUNT_RATE = 0.04;
  private static final double MISSING_CLOSE_DATE_RATE = 0.03;
  private static final double DELETION_RATE = 0.03;
  private static final double UNDELETE_RATE = 0.25;
  /** Deals this large move from a regional team to Enterprise once they are qualified. */
  private static final double ENTERPRISE_HANDOVER_USD = 100_000;
  private static final double REASSIGNMENT_RATE = 0.02;

  private final SimContext ctx;

  DealDesk(SimContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Monitoring starts on a CRM that already has a pipeline: every rep begins with a handful of
   * open deals spread over the stages, entered during the first hours of the history.
   */
  void openInitialBook(long start) {
    List<OpportunityStage> open = Arrays.asList(OpportunityStage.values()).subList(0, OpportunityStage.CLOSED_WON.ordinal());
    double[] stageWeights = {5, 4, 3.5, 3, 2.5, 2, 2, 1.5};
    List<LeadSource> sources = List.of(LeadSource.values());
    double[] sourceWeights = {4, 2, 2, 2, 1, 1};
    for (SalesUser rep : ctx.org.allReps()) {
      int count = ctx.random.between(3, 7);
      for (int i = 0; i < count; i++) {
        long time = start + ctx.random.millisBetween(java.time.Duration.ofMinutes(2), java.time.Duration.ofHours(8));
        OpportunityStage stage = ctx.random.pickWeighted(open, s -> stageWeights[s.ordinal()]);
        LeadSource source = ctx.random.pickWeighted(sources, s -> sourceWeights[s.ordinal()]);
        ctx.clock.at(time, () -> open(rep, source, stage, ctx.names.company(), true));
      }
    }
  }

  Deal openFromLead(Lead lead) {
    OpportunityStage stage = ctx.random.chance(0.7) ? OpportunityStage.PROSPECTING : OpportunityStage.QUALIFICATION;
    return open(lead.owner(), lead.source(), stage, lead.company(), false);
  }

  /**
   * @param inherited the deal predates the history: its forecast has aged, so its close date may be
   *     near or already past
   */
  private Deal open(SalesUser owner, LeadSource source, OpportunityStage stage, String company, boolean inherited) {
    long now = ctx.now();
    Deal deal = new Deal(ctx.ids.next(RecordIds.OPPORTUNITY), owner, source);
    int currency = currencyIndex();
    double usd = dealSizeUsd(owner.team(), source);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.NAME, ctx.names.deal(company));
    fields.put(CanonicalFields.STAGE, stage.label());
    fields.put(CanonicalFields.PROBABILITY, stage.probability());
    if (!ctx.random.chance(MISSING_AMOUNT_RATE)) {
      fields.put(CanonicalFields.AMOUNT, roundAmount(usd * PER_USD[currency]));
      deal.amountUsd(usd);
    }
    fields.put(CanonicalFields.CURRENCY, CURRENCIES.get(currency));
    if (!ctx.random.chance(MISSING_CLOSE_DATE_RATE)) {
      deal.closeDate(inherited
          ? forecastDate(ctx.today(owner).plusDays(ctx.random.between(-20, 50)))
          : expectedCloseDate(owner, stage));
      fields.put(CanonicalFields.CLOSE_DATE, deal.closeDate().toString());
    }
    fields.put(CanonicalFields.OWNER_ID, owner.id());
    fields.put(CanonicalFields.LEAD_SOURCE, source.label());
    deal.stage(stage);
    ctx.emitter.create(deal, now, fields);

    if (ctx.random.chance(DELETION_RATE)) {
      ctx.clock.at(ctx.workTime(now + hours(ctx.random.between(1.0, 12 * 24.0)), owner), () -> delete(deal));
    }
    enterStage(deal, now);
    startActivities(deal, now + Math.round(ctx.random.exponential(days(1))));
    planFirstReview(deal);
    return deal;
  }

  private int currencyIndex() {
    return ctx.random.pickWeighted(List.of(0, 1, 2), i -> CURRENCY_WEIGHTS[i]);
  }

  /** Log-normal around the team's median, with a share of much larger deals for the long tail. */
  private double dealSizeUsd(Team team, LeadSource source) {
    double median = team.dealMedianUsd() * source.dealSizeFactor();
    if (ctx.random.chance(team.largeDealShare())) {
      median *= 6;
    }
    return Math.max(1_000, ctx.random.logNormal(median, 0.8));
  }

  private static double roundAmount(double amount) {
    double unit = amount < 100_000 ? 100 : 1_000;
    return Math.max(unit, Math.round(amount / unit) * unit);
  }

  private LocalDate expectedCloseDate(SalesUser owner, OpportunityStage stage) {
    double remaining = 0;
    for (int i = stage.ordinal(); i < OpportunityStage.CLOSED_WON.ordinal(); i++) {
      remaining += OpportunityStage.values()[i].medianDays();
    }
    double days = remaining * owner.team().paceFactor() * ctx.random.between(0.6, 1.3) + ctx.random.between(3, 14);
    return forecastDate(ctx.today(owner).plusDays(Math.round(days)));
  }

  /** Reps like round dates: close dates cluster at month end. */
  private LocalDate forecastDate(LocalDate date) {
    return ctx.random.chance(0.45) ? date.with(TemporalAdjusters.lastDayOfMonth()) : date;
  }

  // ---- stage process -------------------------------------------------------------------------

  private void enterStage(Deal deal, long entered) {
    int token = ++deal.stageToken;
    Team team = deal.team();
    OpportunityStage stage = deal.stage();
    if (ctx.random.chance(team.stallRate() * stage.stallWeight())) {
      // The buyer goes quiet: no activity and no movement until it revives or is written off.
      long until = entered + days(ctx.random.between(16.0, 45.0));
      deal.stalledUntil(until);
      ctx.clock.at(ctx.workTime(until, deal.owner()), () -> revive(deal, token));
      return;
    }
    long duration = days(ctx.random.logNormal(stage.medianDays() * team.paceFactor(), 0.55));
    ctx.clock.at(ctx.workTime(entered + duration, deal.owner()), () -> leaveStage(deal, token));
  }

  private void revive(Deal deal, int token) {
    if (token != deal.stageToken || !deal.isOpen()) {
      return;
    }
    if (ctx.random.chance(0.4)) {
      close(deal, OpportunityStage.CLOSED_LOST);
      return;
    }
    long duration = days(ctx.random.logNormal(deal.stage().medianDays() * deal.team().paceFactor() * 0.6, 0.5));
    ctx.clock.at(ctx.workTime(ctx.now() + duration, deal.owner()), () -> leaveStage(deal, token));
  }

  private void leaveStage(Deal deal, int token) {
    if (token != deal.stageToken || !deal.isOpen()) {
      return;
    }
    OpportunityStage stage = deal.stage();
    double loss = stage.lossRate() * deal.team().lossFactor();
    double draw = ctx.random.uniform();
    int index = stage.ordinal();
    if (draw < loss) {
      close(deal, OpportunityStage.CLOSED_LOST);
    } else if (draw < loss + stage.regressRate() && index > 0) {
      int back = index >= 2 && ctx.random.chance(0.2) ? 2 : 1;
      moveTo(deal, OpportunityStage.openStage(index - back));
    } else if (draw < loss + stage.regressRate() + stage.skipRate()) {
      moveTo(deal, OpportunityStage.openStage(index + 2));
    } else {
      OpportunityStage next = OpportunityStage.openStage(index + 1);
      if (next == OpportunityStage.CLOSED_WON) {
        close(deal, next);
      } else {
        moveTo(deal, next);
      }
    }
  }

  private void moveTo(Deal deal, OpportunityStage stage) {
    Map<String, Object> proposed = new LinkedHashMap<>();
    proposed.put(CanonicalFields.STAGE, stage.label());
    proposed.put(CanonicalFields.PROBABILITY, stage.probability());
    boolean closeDateFilled = false;
    // Reps fill gaps and re-price while they edit the record anyway, in the same save.
    if (deal.amountUsd() == null && stage.ordinal() >= OpportunityStage.NEEDS_ANALYSIS.ordinal() && ctx.random.chance(0.6)) {
      fillAmount(deal, proposed);
    } else if (deal.amountUsd() != null && stage.ordinal() >= OpportunityStage.PROPOSAL.ordinal() && ctx.random.chance(0.3)) {
      double usd = deal.amountUsd() * ctx.random.between(0.75, 1.25);
      deal.amountUsd(usd);
      proposed.put(CanonicalFields.AMOUNT, roundAmount(usd * perUsd(deal)));
    }
    if (deal.closeDate() == null && ctx.random.chance(0.4)) {
      deal.closeDate(expectedCloseDate(deal.owner(), stage));
      proposed.put(CanonicalFields.CLOSE_DATE, deal.closeDate().toString());
      closeDateFilled = true;
    }
    deal.stage(stage);
    ctx.emitter.update(deal, ctx.now(), proposed);
    if (closeDateFilled) {
      planFirstReview(deal);
    }
    enterStage(deal, ctx.now());
    maybeReassign(deal, stage);
  }

  private void fillAmount(Deal deal, Map<String, Object> proposed) {
    double usd = dealSizeUsd(deal.team(), deal.source());
    deal.amountUsd(usd);
    proposed.put(CanonicalFields.AMOUNT, roundAmount(usd * perUsd(deal)));
  }

  private static double perUsd(Deal deal) {
    return PER_USD[CURRENCIES.indexOf((String) deal.field(CanonicalFields.CURRENCY))];
  }

  private void close(Deal deal, OpportunityStage outcome) {
    Map<String, Object> proposed = new LinkedHashMap<>();
    proposed.put(CanonicalFields.STAGE, outcome.label());
    proposed.put(CanonicalFields.PROBABILITY, outcome.probability());
    if (outcome == OpportunityStage.CLOSED_WON) {
      // A win is booked with its real value and date; an early win pulls the date in.
      if (deal.amountUsd() == null) {
        fillAmount(deal, proposed);
      }
      LocalDate today = ctx.today(deal.owner());
      if (deal.closeDate() == null || today.isBefore(deal.closeDate())) {
        deal.closeDate(today);
        proposed.put(CanonicalFields.CLOSE_DATE, today.toString());
      }
    }
    deal.stage(outcome);
    deal.supersedeAll();
    ctx.emitter.update(deal, ctx.now(), proposed);
  }

  // ---- ownership -----------------------------------------------------------------------------

  private void maybeReassign(Deal deal, OpportunityStage stage) {
    Team current = deal.team();
    SalesUser target = null;
    if (!deal.handedOver() && !current.name().equals(SalesOrg.ENTERPRISE) && deal.amountUsd() != null
        && deal.amountUsd() >= ENTERPRISE_HANDOVER_USD && stage.ordinal() >= OpportunityStage.NEEDS_ANALYSIS.ordinal()
        && ctx.random.chance(0.6)) {
      deal.markHandedOver();
      target = ctx.org.nextRep(ctx.org.team(SalesOrg.ENTERPRISE));
    } else if (ctx.random.chance(REASSIGNMENT_RATE)) {
      // Territory realignment or a rep overloaded: the deal goes to someone in another team.
      List<Team> others = new ArrayList<>(ctx.org.teams());
      others.remove(current);
      target = ctx.org.nextRep(ctx.random.pick(others));
    }
    if (target == null) {
      return;
    }
    SalesUser newOwner = target;
    ctx.clock.at(ctx.workTime(ctx.now() + minutes(ctx.random.between(10.0, 600.0)), deal.owner()), () -> {
      if (deal.isOpen() && deal.owner() != newOwner) {
        deal.owner(newOwner);
        ctx.emitter.update(deal, ctx.now(), Map.of(CanonicalFields.OWNER_ID, newOwner.id()));
      }
    });
  }

  // ---- activity process ----------------------------------------------------------------------

  private void startActivities(Deal deal, long first) {
    int token = ++deal.activityToken;
    planActivity(deal, token, first, ctx.random.between(2, 6));
  }

  private void planActivity(Deal deal, int token, long time, int burstLeft) {
    ctx.clock.at(ctx.workTime(time, deal.owner()), () -> activity(deal, token, burstLeft));
  }

  /**
   * Work on a deal comes in bursts (a few calls, e-mails and a meeting within a day or two) and
   * pauses of several days while the buyer deliberates.
   */
  private void activity(Deal deal, int token, int burstLeft) {
    if (token != deal.activityToken || !deal.isOpen()) {
      return;
    }
    long now = ctx.now();
    if (deal.isStalledAt(now)) {
      planActivity(deal, token, deal.stalledUntil() + Math.round(ctx.random.exponential(days(1))), ctx.random.between(2, 6));
      return;
    }
    double kind = ctx.random.uniform();
    String type = kind < 0.40 ? "email" : kind < 0.70 ? "call" : kind < 0.85 ? "meeting" : "task";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.ACTIVITY_TYPE, type);
    fields.put(CanonicalFields.OPPORTUNITY_ID, deal.id());
    fields.put(CanonicalFields.OWNER_ID, deal.owner().id());
    ctx.emitter.activity(ctx.ids.next(type.equals("meeting") ? RecordIds.EVENT : RecordIds.TASK), now, fields);
    if (burstLeft > 1) {
      planActivity(deal, token, now + minutes(ctx.random.between(15.0, 300.0)), burstLeft - 1);
    } else {
      long pause = days(ctx.random.logNormal(3.0 * deal.team().paceFactor(), 0.5));
      planActivity(deal, token, now + pause, ctx.random.between(2, 7));
    }
  }

  // ---- close-date process --------------------------------------------------------------------

  private void planFirstReview(Deal deal) {
    if (deal.closeDate() == null) {
      return;
    }
    long due = deal.owner().calendar().startOfDay(deal.closeDate());
    planReview(deal, Math.max(ctx.now() + HOUR, due - days(ctx.random.between(0.0, 5.0))));
  }

  private void planReview(Deal deal, long time) {
    int token = ++deal.reviewToken;
    ctx.clock.at(ctx.workTime(time, deal.owner()), () -> review(deal, token));
  }

  /**
   * Near the close date the rep re-forecasts: often the date is pushed (again), sometimes it is
   * left to lapse and the deal sits past due until the next review.
   */
  private void review(Deal deal, int token) {
    if (token != deal.reviewToken || !deal.isOpen() || deal.closeDate() == null) {
      return;
    }
    long now = ctx.now();
    if (deal.isStalledAt(now)) {
      planReview(deal, deal.stalledUntil() + days(ctx.random.between(1.0, 5.0)));
      return;
    }
    LocalDate today = ctx.today(deal.owner());
    LocalDate due = deal.closeDate();
    boolean pastDue = today.isAfter(due);
    if (ctx.random.chance(pastDue ? 0.55 : deal.team().slipRate())) {
      LocalDate base = pastDue ? today : due;
      LocalDate pushed = forecastDate(base.plusDays(ctx.random.between(7, 45)));
      if (!pushed.isAfter(due)) {
        pushed = due.plusDays(7);
      }
      deal.closeDate(pushed);
      ctx.emitter.update(deal, now, Map.of(CanonicalFields.CLOSE_DATE, pushed.toString()));
      planFirstReview(deal);
    } else if (!pastDue) {
      planReview(deal, deal.owner().calendar().startOfDay(due) + days(ctx.random.between(1.0, 10.0)));
    } else {
      planReview(deal, now + days(ctx.random.between(5.0, 20.0)));
    }
  }

  // ---- deletion ------------------------------------------------------------------------------

  /** Duplicates and test records get deleted; now and then someone restores one from the bin. */
  private void delete(Deal deal) {
    if (deal.isDeleted()) {
      return;
    }
    deal.supersedeAll();
    ctx.emitter.delete(deal, ctx.now());
    if (ctx.random.chance(UNDELETE_RATE)) {
      ctx.clock.at(ctx.workTime(ctx.now() + hours(ctx.random.between(1.0, 72.0)), deal.owner()), () -> undelete(deal));
    }
  }

  private void undelete(Deal deal) {
    if (!deal.isDeleted()) {
      return;
    }
    ctx.emitter.undelete(deal, ctx.now());
    if (deal.isOpen()) {
      deal.stalledUntil(0);
      enterStage(deal, ctx.now());
      startActivities(deal, ctx.now() + Math.round(ctx.random.exponential(days(1))));
      planFirstReview(deal);
    }
  }
}
