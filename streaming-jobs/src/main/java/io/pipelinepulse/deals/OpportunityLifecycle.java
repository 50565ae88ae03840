package io.pipelinepulse.deals;

import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.config.CurrencyRates;
import io.pipelinepulse.config.DealRules;
import io.pipelinepulse.config.PipelineCatalog;
import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.lifecycle.RecordLifecycle;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;

/**
 * Keyed by opportunity id: merges the deal's changes and activities in commit-time order and
 * emits what they mean for the KPIs: stage exits (advance or drop), closes, close-date pushes, and
 * changes of the deal's current-state contributions (open, stalled, past due, missing a field).
 *
 * <p>Stalled and past due are deadlines on the clock: a timer at the moment the deal's idle time
 * exceeds its threshold, and at the start of the day after its close date, so they are counted
 * when the clock passes them, also with no new input.
 *
 * <p>State hygiene: a closed deal's state and timers are dropped at once (a later edit of a
 * closed deal is not remembered); a deleted deal's state is kept for {@link #DELETED_RETENTION}
 * after its last change so an undelete restores it, then dropped.
 *
 * <p>Per-deal alerts ({@link DealAlerts}) open and resolve with the stalled and past-due flags and
 * the push count, on the {@link OpenAlerts#EVENTS} side output. User changes come in broadcast
 * to label them with the owner's team at that moment.
 */
public final class OpportunityLifecycle extends RecordLifecycle {

  /** As long as a CRM keeps deleted records restorable (Salesforce's recycle bin). */
  public static final Duration DELETED_RETENTION = Duration.ofDays(15);

  private static final long NONE = Long.MAX_VALUE;
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final PipelineCatalog pipelines;
  private final CurrencyRates currency;
  private final DealRules rules;
  private final DealAlerts alerts;

  private transient OpenAlerts openAlerts;
  private transient ValueState<DealState> deal;
  private transient ValueState<Long> cleanupAt;

  public OpportunityLifecycle(PipelineCatalog pipelines, CurrencyRates currency, DealRules rules,
      UserDirectory directory, AlertSettings alertSettings, Duration dedupRetention) {
    super(directory, dedupRetention);
    this.pipelines = pipelines;
    this.currency = currency;
    this.rules = rules;
    this.alerts = new DealAlerts(alertSettings, currency.reportingCurrency());
  }

  /** The key of this operator: opportunity changes by their own id, activities by their deal's. */
  public static String keyOf(CrmChange change) {
    return change.getEntity() == Entity.ACTIVITY
        ? String.valueOf(change.getFields().get(CanonicalFields.OPPORTUNITY_ID))
        : change.getRecordId();
  }

  @Override
  protected void openState() {
    deal = getRuntimeContext().getState(new ValueStateDescriptor<>("deal", DealState.class));
    cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
    openAlerts = new OpenAlerts(getRuntimeContext());
  }

  @Override
  protected void apply(CrmChange change, long time, ReadOnlyContext ctx, Collector<DealFact> out) throws Exception {
    if (change.getEntity() == Entity.ACTIVITY) {
      if (change.getChangeType() != ChangeType.DELETE) {
        applyActivity(time, ctx, out);
      }
    } else {
      applyDealChange(change, time, ctx, out);
    }
  }

  @Override
  protected void clockPassed(long time, OnTimerContext ctx, Collector<DealFact> out) throws Exception {
    DealState current = deal.value();
    if (current != null && isOpen(current)) {
      // A deadline passed: the deal stalls or falls past due now.
      DealState after = withDeadlines(current.copy(), time);
      if (after.stalled != current.stalled || after.pastDue != current.pastDue) {
        emitContributionChanges(current, after, time, out);
        updateAlerts(current, after, time, ctx);
        deal.update(after);
      }
    }
    Long cleanup = cleanupAt.value();
    if (cleanup != null && cleanup == time) {
      cleanupAt.clear();
      if (current != null && current.deleted) {
        deal.clear();
      }
    }
  }

  private void applyActivity(long time, ReadOnlyContext ctx, Collector<DealFact> out) throws Exception {
    DealState before = deal.value();
    if (before == null || !isOpen(before)) {
      return;
    }
    DealState after = before.copy();
    after.lastActivityAt = Math.max(after.lastActivityAt, time);
    withDeadlines(after, time);
    emitContributionChanges(before, after, time, out);
    updateAlerts(before, after, time, ctx);
    store(before, after, time, ctx, false);
  }

  private void applyDealChange(CrmChange change, long time, ReadOnlyContext ctx, Collector<DealFact> out)
      throws Exception {
    DealState before = deal.value();
    DealState after = before == null ? new DealState() : before.copy();
    if (before == null) {
      after.createdAt = time;
    }
    ChangeType type = change.getChangeType();
    if (type == ChangeType.DELETE) {
      if (before == null) {
        return;
      }
      after.deleted = true;
    } else {
      if (type == ChangeType.UNDELETE || type == ChangeType.CREATE) {
        after.deleted = false;
      }
      after.merge(change.getFields());
    }
    boolean enteredStage = before == null || !Objects.equals(before.stage, after.stage)
        || !pipelines.resolve(before.pipeline).equals(pipelines.resolve(after.pipeline));
    if (enteredStage) {
      after.stageEnteredAt = time;
    }
    withDeadlines(after, time);
    emitMilestones(before, after, time, out);
    emitContributionChanges(before, after, time, out);
    updateAlerts(before, after, time, ctx);
    store(before, after, time, ctx, type == ChangeType.CREATE);
  }

  /**
   * Open and deleted deals need memory, and so does a created deal still waiting for its first
   * stage (a HubSpot deal is created before its properties arrive, one event each); closed deals
   * and fragments of unknown deals do not. Timers follow what is kept.
   *
   * @param created whether this change is the deal's creation
   */
  private void store(DealState before, DealState after, long time, ReadOnlyContext ctx, boolean created)
      throws Exception {
    boolean awaitingStage = after.stage == null && !after.deleted && (before != null || created);
    if (!isOpen(after) && !after.deleted && !awaitingStage) {
      deal.clear();
      release(ctx, before, null);
      dropCleanupTimer(ctx, null);
      return;
    }
    deal.update(after);
    release(ctx, before, after);
    if (after.deleted) {
      long at = time + DELETED_RETENTION.toMillis();
      dropCleanupTimer(ctx, after);
      cleanupAt.update(at);
      ctx.timerService().registerEventTimeTimer(at);
    } else {
      dropCleanupTimer(ctx, after);
      // Also when the clock is already past the deadline (it jumped): the timer then fires within
      // the same advance of the clock, in time order.
      for (long deadline : new long[] {stallAt(after), pastDueAt(after)}) {
        if (deadline != NONE && deadline > time) {
          ctx.timerService().registerEventTimeTimer(deadline);
        }
      }
    }
  }

  /** Deletes the deadline timers of {@code before} that {@code after} no longer needs. */
  private void release(ReadOnlyContext ctx, DealState before, DealState after) throws Exception {
    if (before == null || !isOpen(before)) {
      return;
    }
    for (long old : new long[] {stallAt(before), pastDueAt(before)}) {
      if (old != NONE && !stillNeeded(old, after)) {
        ctx.timerService().deleteEventTimeTimer(old);
      }
    }
  }

  private boolean stillNeeded(long timer, DealState after) throws Exception {
    if (pending.contains(timer)) {
      return true;
    }
    Long cleanup = cleanupAt.value();
    if (cleanup != null && cleanup == timer) {
      return true;
    }
    return after != null && isOpen(after) && (stallAt(after) == timer || pastDueAt(after) == timer);
  }

  private void dropCleanupTimer(ReadOnlyContext ctx, DealState after) throws Exception {
    Long at = cleanupAt.value();
    if (at != null) {
      cleanupAt.clear();
      if (!stillNeeded(at, after)) {
        ctx.timerService().deleteEventTimeTimer(at);
      }
    }
  }

  /** Sets the stalled and past-due flags as they are at {@code time}. */
  private DealState withDeadlines(DealState state, long time) {
    boolean open = isOpen(state);
    state.stalled = open && time >= stallAt(state);
    state.pastDue = open && time >= pastDueAt(state);
    return state;
  }

  /** The moment the deal's idle time exceeds its threshold. */
  private long stallAt(DealState state) {
    if (!isOpen(state)) {
      return NONE;
    }
    long anchor = Math.max(state.stageEnteredAt, state.lastActivityAt);
    return anchor + rules.stallThresholdMillis(pipelines.resolve(state.pipeline), state.stage) + 1;
  }

  /** The start (UTC) of the day after the close date. */
  private long pastDueAt(DealState state) {
    LocalDate date = closeDate(state);
    return !isOpen(state) || date == null ? NONE : (date.toEpochDay() + 1) * DAY;
  }

  private static LocalDate closeDate(DealState state) {
    if (state.closeDate == null) {
      return null;
    }
    try {
      return LocalDate.parse(state.closeDate);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Stage exits, closes and close-date pushes: facts of this moment. */
  private void emitMilestones(DealState before, DealState after, long time, Collector<DealFact> out) {
    if (before == null || !isOpen(before)) {
      return;
    }
    String pipeline = pipelines.resolve(before.pipeline);
    boolean isOpen = isOpen(after);
    boolean sameStage = isOpen && after.stage.equals(before.stage)
        && pipeline.equals(pipelines.resolve(after.pipeline));
    if (!sameStage) {
      out.collect(DealFact.stageExit(time, pipeline, before.stage, before.ownerId, isAdvance(before, after)));
    }
    if (!after.deleted && isClosed(after)) {
      boolean won = pipelines.get(pipelines.resolve(after.pipeline)).isWon(after.stage);
      out.collect(DealFact.closed(time, pipelines.resolve(after.pipeline), after.stage, after.ownerId, won,
          after.amount == null ? Double.NaN : amount(after), time - after.createdAt));
    }
    LocalDate from = closeDate(before);
    LocalDate to = closeDate(after);
    if (isOpen && from != null && to != null && to.isAfter(from)) {
      after.pushes++;
      DealFact push = DealFact.delta(DealFact.Kind.CLOSE_DATE_PUSH, time, pipelines.resolve(after.pipeline), "",
          after.ownerId, 1, 0, 0);
      out.collect(push);
    }
  }

  /**
   * Opens the alerts the deal's state now calls for and resolves those it no longer does; a deal
   * that closed or was deleted resolves them all. Only what changed since {@code before} touches
   * the alert state, so most changes of a deal cost nothing here.
   */
  private void updateAlerts(DealState before, DealState after, long time, ReadOnlyContext ctx) throws Exception {
    OpenAlerts.Sink sink = event -> ctx.output(OpenAlerts.EVENTS, event);
    boolean wasOpen = isOpen(before);
    if (!isOpen(after)) {
      if (wasOpen) {
        openAlerts.resolveAll(time, sink);
      }
      return;
    }
    for (String alert : DealAlerts.NAMES) {
      boolean wanted = calledFor(alert, after);
      if (wanted == (wasOpen && calledFor(alert, before))) {
        continue;
      }
      if (!wanted) {
        openAlerts.resolve(alert, time, sink);
      } else {
        String pipeline = pipelines.resolve(after.pipeline);
        openAlerts.fire(alerts.firing(alert, ctx.getCurrentKey(), after, pipeline, teamAt(ctx, after.ownerId, time),
            amount(after), rules.stallThresholdMillis(pipeline, after.stage), time), sink);
      }
    }
  }

  private boolean calledFor(String alert, DealState state) {
    return switch (alert) {
      case DealAlerts.STALLED -> state.stalled;
      case DealAlerts.PAST_DUE -> state.pastDue;
      case DealAlerts.SLIPPED -> state.pushes >= rules.slippedAfterPushes();
      default -> throw new IllegalArgumentException("not a deal alert: " + alert);
    };
  }

  /** Takes back what {@code before} contributed to current state and adds what {@code after} does. */
  private void emitContributionChanges(DealState before, DealState after, long time, Collector<DealFact> out) {
    List<DealFact> was = contributions(before, time);
    List<DealFact> is = contributions(after, time);
    for (DealFact old : was) {
      if (is.stream().noneMatch(old::sameContribution)) {
        out.collect(old.negated());
      }
    }
    for (DealFact now : is) {
      if (was.stream().noneMatch(now::sameContribution)) {
        out.collect(now);
      }
    }
  }

  private List<DealFact> contributions(DealState state, long time) {
    List<DealFact> contributions = new ArrayList<>();
    if (state == null || !isOpen(state)) {
      return contributions;
    }
    String pipeline = pipelines.resolve(state.pipeline);
    double amount = amount(state);
    contributions.add(DealFact.delta(DealFact.Kind.OPEN_DELTA, time, pipeline, state.stage, state.ownerId,
        1, amount, weighted(state)));
    if (state.stalled) {
      contributions.add(DealFact.delta(DealFact.Kind.STALLED_DELTA, time, pipeline, state.stage, state.ownerId,
          1, amount, 0));
    }
    if (state.pastDue) {
      contributions.add(DealFact.delta(DealFact.Kind.PAST_DUE_DELTA, time, pipeline, "", state.ownerId, 1, 0, 0));
    }
    if (state.amount == null) {
      contributions.add(missing(time, pipeline, "amount"));
    }
    if (state.closeDate == null) {
      contributions.add(missing(time, pipeline, "close_date"));
    }
    if (state.ownerId == null) {
      contributions.add(missing(time, pipeline, "owner"));
    }
    return contributions;
  }

  private static DealFact missing(long time, String pipeline, String field) {
    return DealFact.delta(DealFact.Kind.MISSING_DELTA, time, pipeline, field, null, 1, 0, 0);
  }

  private boolean isAdvance(DealState before, DealState after) {
    if (after.deleted) {
      return false;
    }
    PipelineCatalog.Pipeline pipeline = pipelines.get(pipelines.resolve(before.pipeline));
    if (pipeline.isWon(after.stage)) {
      return true;
    }
    if (!pipelines.resolve(before.pipeline).equals(pipelines.resolve(after.pipeline))) {
      return false;
    }
    int from = pipeline.orderOf(before.stage);
    int to = pipeline.orderOf(after.stage);
    return from >= 0 && to > from;
  }

  private boolean isOpen(DealState state) {
    return state != null && !state.deleted && state.stage != null && !isClosed(state);
  }

  private boolean isClosed(DealState state) {
    return state.stage != null && pipelines.get(pipelines.resolve(state.pipeline)).isClosed(state.stage);
  }

  private double amount(DealState state) {
    return state.amount == null ? 0.0 : currency.toReporting(state.amount, state.currency);
  }

  private double weighted(DealState state) {
    return state.probability == null ? 0.0 : amount(state) * state.probability / 100.0;
  }
}
