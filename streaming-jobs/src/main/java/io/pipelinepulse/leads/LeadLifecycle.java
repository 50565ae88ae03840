package io.pipelinepulse.leads;

import io.pipelinepulse.alerts.AlertTexts;
import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.alerts.RecordAlert;
import io.pipelinepulse.config.LeadRules;
import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.facts.AwaitingDelta;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.LeadResolved;
import io.pipelinepulse.facts.LeadTouched;
import io.pipelinepulse.facts.SlaBreach;
import io.pipelinepulse.lifecycle.RecordContext;
import io.pipelinepulse.lifecycle.RecordLifecycle;
import io.pipelinepulse.lifecycle.TextPool;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;

/**
 * Keyed by lead id: merges the lead's changes and the activities linked to it in commit-time
 * order. Emits the first touch (with the response time), the resolution (converted or
 * disqualified), the SLA breach when the clock passes creation + SLA untouched, and changes of the
 * awaiting set.
 *
 * <p>The first touch is the first activity owned by a person, the first status change out of the
 * untouched status, or conversion. A resolution is counted only when the job sees it happen: a
 * lead first seen already resolved (a snapshot, an edit of a lead resolved long ago) is not.
 *
 * <p>State hygiene: a deleted lead's state and timers go at once. An unresolved lead expires after
 * {@link LeadRules#expireAfter} without a change (an untouched one is counted as expired and its
 * alert resolves). A resolved or expired lead's go after {@link LeadRules#resolvedRetention}, until
 * which only its key is kept.
 *
 * <p>User changes come in broadcast, only to tell the team of a lead's owner at its creation: an
 * SLA counts in that team's business hours, where configured.
 */
public final class LeadLifecycle extends RecordLifecycle {

  static final String BREACHED = "LeadResponseSlaBreached";

  private final LeadRules rules;
  private final AlertSettings alertSettings;

  private transient ValueState<LeadState> lead;
  private transient OpenAlerts openAlerts;
  private transient TextPool texts;

  public LeadLifecycle(LeadRules rules, AlertSettings alertSettings) {
    this.rules = rules;
    this.alertSettings = alertSettings;
  }

  /** The key of this operator: lead changes by their own id, activities by their lead's. */
  public static String keyOf(CrmChange change) {
    return change.getEntity() == Entity.ACTIVITY
        ? String.valueOf(change.getFields().get(CanonicalFields.LEAD_ID))
        : change.getRecordId();
  }

  /** An activity of both a deal and a lead is counted where the deal is. */
  @Override
  protected boolean countsOutcomeOf(CrmChange change) {
    return change.getEntity() != Entity.ACTIVITY || change.getFields().get(CanonicalFields.OPPORTUNITY_ID) == null;
  }

  @Override
  protected void openState() {
    lead = getRuntimeContext().getState(new ValueStateDescriptor<>(recordStateName(), LeadState.class));
    openAlerts = new OpenAlerts(getRuntimeContext());
    texts = new TextPool();
  }

  @Override
  protected Entity entity() {
    return Entity.LEAD;
  }

  @Override
  protected boolean holdsRecord() throws Exception {
    return lead.value() != null;
  }

  @Override
  protected String recordStateName() {
    return "lead";
  }

  @Override
  protected void ownerMoved(String ownerId, String from, String to, long time, RecordContext ctx,
      Collector<Fact> out) throws Exception {
    LeadState current = lead.value();
    if (current == null || current.touched || !ownerId.equals(current.ownerId)) {
      return;
    }
    out.collect(new AwaitingDelta(time, ownerId, from, source(current), current.createdAt, -1));
    out.collect(new AwaitingDelta(time, ownerId, to, source(current), current.createdAt, 1));
    openAlerts.followOwner(to, ownerId, time, event -> ctx.output(OpenAlerts.EVENTS, event));
  }

  @Override
  protected void apply(CrmChange change, long time, RecordContext ctx, Collector<Fact> out) throws Exception {
    if (change.getEntity() == Entity.ACTIVITY) {
      applyActivity(change, time, ctx, out);
    } else {
      applyLeadChange(change, time, ctx, out);
    }
  }

  @Override
  protected void clockPassed(long time, RecordContext ctx, Collector<Fact> out) throws Exception {
    LeadState current = lead.value();
    if (current == null) {
      return;
    }
    if (current.resolvedAt != 0) {
      if (time >= current.resolvedAt + rules.resolvedRetention().toMillis()) {
        lead.clear();
      }
      return;
    }
    if (!current.touched && !current.breached && time >= deadline(current)) {
      current.breached = true;
      lead.update(current);
      out.collect(new SlaBreach(time, current.ownerId, null, source(current)));
      String team = ctx.teamAt(current.ownerId, time);
      openAlerts.fire(breachAlert(ctx.currentKey(), current, team, time), event -> ctx.output(OpenAlerts.EVENTS, event));
    }
    if (time >= current.expiryCheckAt) {
      long expiry = current.lastChangeAt + rules.expireAfter().toMillis();
      if (time >= expiry) {
        expire(current, time, ctx, out);
      } else {
        // changes since the timer was set moved the expiry: one timer per lead, set again only now
        current.expiryCheckAt = expiry;
        lead.update(current);
        ctx.timerService().registerEventTimeTimer(expiry);
      }
    }
  }

  /**
   * An unresolved lead without a change for the expiry time is forgotten; an untouched one was
   * still awaiting, so it is counted as expired and its alert resolves.
   */
  private void expire(LeadState current, long time, RecordContext ctx, Collector<Fact> out) throws Exception {
    if (!current.touched) {
      out.collect(new LeadResolved(time, current.ownerId, null, source(current), LeadResolved.Outcome.EXPIRED));
      awaitingChange(current, null, time, out);
    }
    forget(current, current, time, "expired", ctx);
    remember(time, ctx);
  }

  private void applyActivity(CrmChange activity, long time, RecordContext ctx, Collector<Fact> out)
      throws Exception {
    LeadState current = lead.value();
    if (current == null || current.resolvedAt != 0) {
      return;
    }
    Object owner = activity.getFields().get(CanonicalFields.OWNER_ID);
    if (!current.touched && activity.getChangeType() != ChangeType.DELETE && owner != null) {
      LeadState after = current.copy();
      after.lastChangeAt = time;
      touch(current, after, time, ctx, out);
      lead.update(after);
    } else {
      // most activities: only the expiry moves, no copy needed
      current.lastChangeAt = time;
      lead.update(current);
    }
  }

  private void applyLeadChange(CrmChange change, long time, RecordContext ctx, Collector<Fact> out)
      throws Exception {
    LeadState before = lead.value();
    if (before != null && before.resolvedAt != 0) {
      // resolved: later edits (an owner change, a lifecycle stage moving on) are not a new lead
      return;
    }
    if (change.getChangeType() == ChangeType.DELETE) {
      if (before != null) {
        awaitingChange(before, null, time, out);
        forget(before, before, time, "deleted", ctx);
      }
      return;
    }
    LeadState after = before == null ? new LeadState() : before.copy();
    after.lastChangeAt = time;
    Map<String, Object> fields = change.getFields();
    if (fields.containsKey(CanonicalFields.STATUS)) {
      after.status = texts.of(text(fields.get(CanonicalFields.STATUS)));
    }
    if (fields.containsKey(CanonicalFields.LEAD_SOURCE)) {
      after.leadSource = texts.of(text(fields.get(CanonicalFields.LEAD_SOURCE)));
    }
    if (fields.containsKey(CanonicalFields.OWNER_ID)) {
      after.ownerId = texts.of(text(fields.get(CanonicalFields.OWNER_ID)));
    }
    if (alertSettings.includeNames() && fields.containsKey(CanonicalFields.NAME)) {
      after.name = AlertTexts.shortened(text(fields.get(CanonicalFields.NAME)));
    }
    if (alertSettings.includeNames() && fields.containsKey(CanonicalFields.COMPANY)) {
      after.company = AlertTexts.shortened(text(fields.get(CanonicalFields.COMPANY)));
    }
    boolean converted = Boolean.TRUE.equals(fields.get(CanonicalFields.CONVERTED))
        || rules.isConverted(after.status);
    boolean disqualified = !converted && rules.isDisqualified(after.status);
    if (before == null && (converted || disqualified)) {
      // first seen already resolved: when it resolved is unknown, and it may have been counted
      // before it was forgotten
      remember(time, ctx);
      return;
    }
    if (before == null) {
      after.createdAt = time;
      after.expiryCheckAt = time + rules.expireAfter().toMillis();
      ctx.timerService().registerEventTimeTimer(after.expiryCheckAt);
      if (rules.hasBusinessHours()) {
        after.slaTeam = ctx.teamAt(after.ownerId, time);
      }
      // A lead that arrives already worked on was never waiting for anyone, nor one whose
      // creation was not seen (its wait cannot be known).
      after.touched = (after.status != null && !after.status.equals(rules.untouchedStatus()))
          || (change.getChangeType() != ChangeType.CREATE && change.getChangeType() != ChangeType.UNDELETE);
    } else if (!after.touched && (converted
        || (rules.untouchedStatus().equals(before.status) && !Objects.equals(before.status, after.status)))) {
      touch(before, after, time, ctx, out);
    }
    if (before != null && !after.touched && !Objects.equals(before.ownerId, after.ownerId)) {
      openAlerts.followOwner(ctx.teamAt(after.ownerId, time), after.ownerId, time,
          event -> ctx.output(OpenAlerts.EVENTS, event));
    }
    if (before != null && before.touched == after.touched) {
      awaitingChange(before, after, time, out);
    } else if (before == null) {
      awaitingChange(null, after, time, out);
    }
    if (converted || disqualified) {
      LeadResolved.Outcome outcome = converted ? LeadResolved.Outcome.CONVERTED : LeadResolved.Outcome.DISQUALIFIED;
      out.collect(new LeadResolved(time, after.ownerId, null, source(after), outcome));
      awaitingChange(after, null, time, out);
      forget(before, after, time, outcome.label(), ctx);
      remember(time, ctx);
      return;
    }
    lead.update(after);
    if (!after.touched && !after.breached) {
      long deadline = deadline(after);
      if (before != null && !before.touched && deadline(before) != deadline) {
        ctx.timerService().deleteEventTimeTimer(deadline(before));
      }
      if (deadline > time) {
        ctx.timerService().registerEventTimeTimer(deadline);
      }
    }
  }

  /** The first touch: the response time is counted and the lead stops awaiting. */
  private void touch(LeadState before, LeadState after, long time, RecordContext ctx, Collector<Fact> out)
      throws Exception {
    after.touched = true;
    openAlerts.resolve(BREACHED, time, "touched", event -> ctx.output(OpenAlerts.EVENTS, event));
    out.collect(new LeadTouched(time, after.ownerId, null, source(after), time - after.createdAt));
    awaitingChange(before, null, time, out);
  }

  /** Takes the lead out of the awaiting set as {@code before} and puts it back as {@code after}. */
  private void awaitingChange(LeadState before, LeadState after, long time, Collector<Fact> out) {
    boolean was = before != null && !before.touched;
    boolean is = after != null && !after.touched;
    if (was && is && Objects.equals(before.ownerId, after.ownerId)
        && Objects.equals(before.leadSource, after.leadSource)) {
      return;
    }
    if (was) {
      out.collect(new AwaitingDelta(time, before.ownerId, null, source(before), before.createdAt, -1));
    }
    if (is) {
      out.collect(new AwaitingDelta(time, after.ownerId, null, source(after), after.createdAt, 1));
    }
  }

  /**
   * Drops the lead, its open alert (resolved for {@code reason}) and the timers it may have had (as
   * it was, or as this change made it).
   */
  private void forget(LeadState before, LeadState after, long time, String reason, RecordContext ctx)
      throws Exception {
    openAlerts.resolveAll(time, reason, event -> ctx.output(OpenAlerts.EVENTS, event));
    for (LeadState state : new LeadState[] {before, after}) {
      if (state != null && !state.breached) {
        ctx.timerService().deleteEventTimeTimer(deadline(state));
      }
      if (state != null && state.expiryCheckAt != 0) {
        ctx.timerService().deleteEventTimeTimer(state.expiryCheckAt);
      }
    }
    lead.clear();
  }

  /** An ended lead is remembered (its key only) so that later edits do not start a new one. */
  private void remember(long time, RecordContext ctx) throws Exception {
    LeadState marker = new LeadState();
    marker.resolvedAt = time;
    marker.touched = true;
    lead.update(marker);
    ctx.timerService().registerEventTimeTimer(time + rules.resolvedRetention().toMillis());
  }

  private long deadline(LeadState state) {
    return rules.responseDeadline(state.createdAt, state.leadSource, state.slaTeam);
  }

  private AlertEvent breachAlert(String leadId, LeadState state, String team, long time) {
    return RecordAlert.named(BREACHED)
        .label("team", team)
        .label("lead_source", source(state))
        .label("lead_id", leadId)
        .label("owner_id", state.ownerId)
        .summary(String.format(Locale.ROOT, "Lead %s has had no response since %s",
            AlertTexts.record(leadId, state.name, state.company),
            AlertTexts.moment(state.createdAt)))
        .description(String.format(Locale.ROOT,
            "Created %s from %s; no activity or status change since. The response SLA is %s%s, breached at %s.",
            AlertTexts.moment(state.createdAt), source(state), AlertTexts.span(rules.slaMillis(state.leadSource)),
            state.slaTeam != null && rules.businessHoursByTeam().containsKey(state.slaTeam)
                ? " of " + state.slaTeam + "'s business hours" : "", AlertTexts.moment(deadline(state))))
        .firing(alertSettings, leadId, time);
  }

  static String source(LeadState state) {
    return state.leadSource == null ? "unknown" : state.leadSource;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
