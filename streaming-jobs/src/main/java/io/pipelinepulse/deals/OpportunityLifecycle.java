package io.pipelinepulse.deals;

import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.config.CurrencyRates;
import io.pipelinepulse.config.DealRules;
import io.pipelinepulse.config.PipelineCatalog;
import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.facts.CloseDatePush;
import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.facts.StageExit;
import io.pipelinepulse.lifecycle.RecordContext;
import io.pipelinepulse.lifecycle.RecordLifecycle;
import io.pipelinepulse.lifecycle.TextPool;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.time.IsoDates;
import java.time.Duration;
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
 * <p>Stalled and past due are deadlines on the clock: the moment the deal's idle time exceeds its
 * threshold, and the start of the day after its close date. One timer per deal, at or before the
 * next of them, lets them be counted when the clock passes them, also with no new input.
 *
 * <p>State hygiene: a closed deal's state and timers are dropped at once (a later edit of a
 * closed deal is not remembered); a deleted deal's state is kept for {@link #DELETED_RETENTION}
 * after its last change so an undelete restores it, then dropped; a deal created without a stage
 * is kept for {@link DealRules#stagelessRetention} after its last change, then dropped.
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
  private final boolean keepNames;

  private transient OpenAlerts openAlerts;
  private transient ValueState<DealState> deal;
  private transient TextPool texts;

  public OpportunityLifecycle(PipelineCatalog pipelines, CurrencyRates currency, DealRules rules,
      AlertSettings alertSettings) {
    this.pipelines = pipelines;
    this.currency = currency;
    this.rules = rules;
    this.alerts = new DealAlerts(alertSettings, currency.reportingCurrency());
    this.keepNames = alertSettings.includeNames();
  }

  /** The key of this operator: opportunity changes by their own id, activities by their deal's. */
  public static String keyOf(CrmChange change) {
    return change.getEntity() == Entity.ACTIVITY
        ? String.valueOf(change.getFields().get(CanonicalFields.OPPORTUNITY_ID))
        : change.getRecordId();
  }

  @Override
  protected void openState() {
    deal = getRuntimeContext().getState(new ValueStateDescriptor<>(recordStateName(), DealState.class));
    openAlerts = new OpenAlerts(getRuntimeContext());
    texts = new TextPool();
  }

  @Override
  protected Entity entity() {
    return Entity.OPPORTUNITY;
  }

  @Override
  protected boolean holdsRecord() throws Exception {
    return deal.value() != null;
  }

  @Override
  protected String recordStateName() {
    return "deal";
  }

  @Override
  protected void ownerMoved(String ownerId, String from, String to, long time, RecordContext ctx,
      Collector<Fact> out) throws Exception {
    DealState current = deal.value();
    if (current == null || !isOpen(current) || !ownerId.equals(current.ownerId)) {
      return;
    }
    for (OpenDealDelta held : openContributions(current, time)) {
      out.collect(held.negatedAt(time).withTeam(from));
      out.collect(held.withTeam(to));
    }
    openAlerts.followOwner(to, current.ownerId, time, event -> ctx.output(OpenAlerts.EVENTS, event));
  }

  @Override
  protected void apply(CrmChange change, long time, RecordContext ctx, Collector<Fact> out) throws Exception {
    if (change.getEntity() == Entity.ACTIVITY) {
      if (change.getChangeType() != ChangeType.DELETE) {
        applyActivity(time, ctx, out);
      }
    } else {
      applyDealChange(change, time, ctx, out);
    }
  }

  @Override
  protected void clockPassed(long time, RecordContext ctx, Collector<Fact> out) throws Exception {
    DealState current = deal.value();
    if (current == null) {
      return;
    }
    if (current.cleanupAt <= time) {
      forget(ctx, current);
      return;
    }
    boolean timerFired = current.deadlineTimer != NONE && current.deadlineTimer <= time;
    boolean flagsMove = isOpen(current)
        && ((time >= stallAt(current)) != current.stalled || (time >= pastDueAt(current)) != current.pastDue);
    if (!timerFired && !flagsMove) {
      // Most timers are a change's own: the change already set the deal's deadline timer.
      return;
    }
    DealState after = current.copy();
    if (isOpen(after)) {
      // A deadline passed: the deal stalls or falls past due now.
      withDeadlines(after, time);
      if (after.stalled != current.stalled || after.pastDue != current.pastDue) {
        emitContributionChanges(current, after, time, out);
        updateAlerts(current, after, time, ctx);
      }
    }
    arm(ctx, after, dueAfter(after, time), time);
    if (after.stalled != current.stalled || after.pastDue != current.pastDue
        || after.deadlineTimer != current.deadlineTimer) {
      deal.update(after);
    }
  }

  private void applyActivity(long time, RecordContext ctx, Collector<Fact> out) throws Exception {
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

  private void applyDealChange(CrmChange change, long time, RecordContext ctx, Collector<Fact> out)
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
      after.merge(change.getFields(), texts, keepNames);
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
   * and fragments of unknown deals do not. The deadline timer follows what is kept.
   *
   * @param created whether this change is the deal's creation
   */
  private void store(DealState before, DealState after, long time, RecordContext ctx, boolean created)
      throws Exception {
    boolean awaitingStage = after.stage == null && !after.deleted && (before != null || created);
    if (!isOpen(after) && !after.deleted && !awaitingStage) {
      forget(ctx, after);
      return;
    }
    after.cleanupAt = after.deleted ? time + DELETED_RETENTION.toMillis()
        : awaitingStage ? time + rules.stagelessRetention().toMillis() : NONE;
    arm(ctx, after, dueAfter(after, time), time);
    deal.update(after);
  }

  /** Drops the deal's state and its deadline timer. */
  private void forget(RecordContext ctx, DealState state) throws Exception {
    arm(ctx, state, NONE, Long.MIN_VALUE);
    deal.clear();
  }

  /**
   * Keeps the deal's one deadline timer no later than {@code due} ({@link #NONE}: no timer). A
   * timer already set earlier stays: when it fires, {@link #clockPassed} finds nothing due and
   * sets the next one. Most changes of a deal (an activity pushing its stall deadline later) so
   * touch no timer at all.
   */
  private void arm(RecordContext ctx, DealState state, long due, long time) throws Exception {
    long armed = state.deadlineTimer;
    // A timer at or before now has fired (or fires now): it no longer needs deleting.
    boolean set = armed != NONE && armed > time;
    if (set && armed <= due && due != NONE) {
      return;
    }
    if (set) {
      ctx.timerService().deleteEventTimeTimer(armed);
    }
    state.deadlineTimer = due;
    if (due != NONE) {
      ctx.timerService().registerEventTimeTimer(due);
    }
  }

  /** The next moment after {@code time} the deal must react to: a deadline, or being forgotten. */
  private long dueAfter(DealState state, long time) {
    return state.cleanupAt != NONE ? state.cleanupAt : nextDeadline(state, time);
  }

  /** The first of the deal's deadlines after {@code time}, {@link #NONE} if it has none. */
  private long nextDeadline(DealState state, long time) {
    long stall = stallAt(state);
    long pastDue = pastDueAt(state);
    long next = NONE;
    if (stall != NONE && stall > time) {
      next = stall;
    }
    if (pastDue != NONE && pastDue > time) {
      next = Math.min(next, pastDue);
    }
    return next;
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
    return !isOpen(state) || state.closeDay == IsoDates.NO_DATE ? NONE : (state.closeDay + 1) * DAY;
  }

  /** Stage exits, closes and close-date pushes: facts of this moment. */
  private void emitMilestones(DealState before, DealState after, long time, Collector<Fact> out) {
    if (before == null || !isOpen(before)) {
      return;
    }
    String pipeline = pipelines.resolve(before.pipeline);
    boolean isOpen = isOpen(after);
    boolean sameStage = isOpen && after.stage.equals(before.stage)
        && pipeline.equals(pipelines.resolve(after.pipeline));
    if (!sameStage) {
      out.collect(new StageExit(time, before.ownerId, null, pipeline, before.stage, isAdvance(before, after)));
    }
    if (!after.deleted && isClosed(after)) {
      boolean won = pipelines.get(pipelines.resolve(after.pipeline)).isWon(after.stage);
      out.collect(new DealClosed(time, after.ownerId, null, pipelines.resolve(after.pipeline), won,
          after.hasAmount() ? amount(after) : Double.NaN, time - after.createdAt));
    }
    if (isOpen && before.closeDay != IsoDates.NO_DATE && after.closeDay != IsoDates.NO_DATE
        && after.closeDay > before.closeDay) {
      after.pushes++;
      out.collect(new CloseDatePush(time, after.ownerId, null, pipelines.resolve(after.pipeline)));
    }
  }

  /**
   * Opens the alerts the deal's state now calls for and resolves those it no longer does; a deal
   * that closed or was deleted resolves them all. Only what changed since {@code before} touches
   * the alert state, so most changes of a deal cost nothing here.
   */
  private void updateAlerts(DealState before, DealState after, long time, RecordContext ctx) throws Exception {
    OpenAlerts.Sink sink = event -> ctx.output(OpenAlerts.EVENTS, event);
    boolean wasOpen = isOpen(before);
    if (!isOpen(after)) {
      if (wasOpen) {
        openAlerts.resolveAll(time, after.deleted ? "deleted" : "closed", sink);
      }
      return;
    }
    if (wasOpen && !Objects.equals(before.ownerId, after.ownerId)) {
      openAlerts.followOwner(ctx.teamAt(after.ownerId, time), after.ownerId, time, sink);
    }
    boolean textChanged = wasOpen && alertTextChanged(before, after);
    for (String alert : DealAlerts.NAMES) {
      boolean wanted = calledFor(alert, after);
      if (wanted == (wasOpen && calledFor(alert, before))) {
        if (wanted && textChanged) {
          // open still: its annotations say what is true of the deal now
          openAlerts.refresh(firing(alert, after, time, ctx), sink);
        }
        continue;
      }
      if (!wanted) {
        openAlerts.resolve(alert, time, "cleared", sink);
      } else {
        openAlerts.fire(firing(alert, after, time, ctx), sink);
      }
    }
  }

  private AlertEvent firing(String alert, DealState deal, long time, RecordContext ctx) throws Exception {
    String pipeline = pipelines.resolve(deal.pipeline);
    return alerts.firing(alert, ctx.currentKey(), deal, pipeline, ctx.teamAt(deal.ownerId, time), amount(deal),
        rules.stallThresholdMillis(pipeline, deal.stage), time);
  }

  /** Whether a change touched what the alerts' annotations state: amount, stage, close date, pushes. */
  private static boolean alertTextChanged(DealState before, DealState after) {
    return Double.compare(before.amount, after.amount) != 0 || !Objects.equals(before.currency, after.currency)
        || !Objects.equals(before.name, after.name)
        || !Objects.equals(before.stage, after.stage) || before.closeDay != after.closeDay
        || before.pushes != after.pushes;
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
  private void emitContributionChanges(DealState before, DealState after, long time, Collector<Fact> out) {
    List<OpenDealDelta> was = openContributions(before, time);
    List<OpenDealDelta> is = openContributions(after, time);
    for (OpenDealDelta old : was) {
      if (is.stream().noneMatch(old::sameContribution)) {
        out.collect(old.negatedAt(time));
      }
    }
    for (OpenDealDelta now : is) {
      if (was.stream().noneMatch(now::sameContribution)) {
        out.collect(now);
      }
    }
    List<MissingFieldDelta> wasMissing = missingFields(before, time);
    List<MissingFieldDelta> isMissing = missingFields(after, time);
    for (MissingFieldDelta old : wasMissing) {
      if (!isMissing.contains(old)) {
        out.collect(old.negated());
      }
    }
    for (MissingFieldDelta now : isMissing) {
      if (!wasMissing.contains(now)) {
        out.collect(now);
      }
    }
  }

  private List<OpenDealDelta> openContributions(DealState state, long time) {
    List<OpenDealDelta> contributions = new ArrayList<>(3);
    if (state == null || !isOpen(state)) {
      return contributions;
    }
    String pipeline = pipelines.resolve(state.pipeline);
    double amount = amount(state);
    contributions.add(new OpenDealDelta(OpenDealDelta.State.OPEN, time, state.ownerId, null, pipeline, state.stage,
        1, amount, weighted(state)));
    if (state.stalled) {
      contributions.add(new OpenDealDelta(OpenDealDelta.State.STALLED, time, state.ownerId, null, pipeline,
          state.stage, 1, amount, 0));
    }
    if (state.pastDue) {
      contributions.add(new OpenDealDelta(OpenDealDelta.State.PAST_DUE, time, state.ownerId, null, pipeline, "",
          1, 0, 0));
    }
    return contributions;
  }

  private List<MissingFieldDelta> missingFields(DealState state, long time) {
    List<MissingFieldDelta> missing = new ArrayList<>(3);
    if (state == null || !isOpen(state)) {
      return missing;
    }
    String pipeline = pipelines.resolve(state.pipeline);
    if (!state.hasAmount()) {
      missing.add(new MissingFieldDelta(time, pipeline, "amount", 1));
    }
    if (!state.hasCloseDate()) {
      missing.add(new MissingFieldDelta(time, pipeline, "close_date", 1));
    }
    if (state.ownerId == null) {
      missing.add(new MissingFieldDelta(time, pipeline, "owner", 1));
    }
    return missing;
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
    return state.hasAmount() ? currency.toReporting(state.amount, state.currency) : 0.0;
  }

  private double weighted(DealState state) {
    return Double.isNaN(state.probability) ? 0.0 : amount(state) * state.probability / 100.0;
  }
}
