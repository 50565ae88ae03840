package io.pipelinepulse.directory;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.time.EventTimeBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user id: labels the current-state facts of an owner's records (open, stalled, past due,
 * awaiting) with the owner's team at the fact's moment. User changes and facts are both held until
 * the clock reaches them and applied in event-time order (user changes first at equal times), so a
 * team change never leaks backwards into older facts. Facts of a moment (exits, closes, first
 * touches ...) get their team where they are made and do not come here.
 *
 * <p>Current state's team is the owner's team now: the resolver keeps the owner's totals of each
 * and, when the owner changes team, moves them from the old team to the new.
 */
public final class TeamResolver extends KeyedCoProcessFunction<String, CrmChange, DealFact, DealFact> {

  public static final String UNASSIGNED = "unassigned";
  public static final String UNKNOWN = "unknown";

  private final UserDirectory directory;

  private transient EventTimeBuffer<CrmChange> pendingUsers;
  private transient EventTimeBuffer<DealFact> pendingFacts;
  private transient ValueState<String> team;
  private transient MapState<String, OpenTotals> openTotals;

  public TeamResolver(UserDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void open(OpenContext openContext) {
    pendingUsers = new EventTimeBuffer<>(getRuntimeContext(), "pending-user-changes",
        io.pipelinepulse.types.CrmChangeSerializer.TYPE, CrmChange::getCommitTime,
        Comparator.comparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId));
    // Facts of one owner at one moment keep their arrival order; it does not change any total.
    pendingFacts = new EventTimeBuffer<>(getRuntimeContext(), "pending-facts",
        io.pipelinepulse.types.DealFactSerializer.TYPE, fact -> fact.time, (a, b) -> 0);
    team = getRuntimeContext().getState(new ValueStateDescriptor<>("team", Types.STRING));
    openTotals = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("open-totals", Types.STRING, TypeInformation.of(OpenTotals.class)));
  }

  @Override
  public void processElement1(CrmChange userChange, Context ctx, Collector<DealFact> out) throws Exception {
    pendingUsers.add(userChange, ctx.timerService());
  }

  @Override
  public void processElement2(DealFact fact, Context ctx, Collector<DealFact> out) throws Exception {
    pendingFacts.add(fact, ctx.timerService());
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<DealFact> out) throws Exception {
    for (CrmChange change : pendingUsers.take(time)) {
      applyUserChange(change, time, ctx.getCurrentKey(), out);
    }
    String current = effectiveTeam(ctx.getCurrentKey());
    for (DealFact fact : pendingFacts.take(time)) {
      DealFact resolved = fact.withTeam(current);
      if (fact.kind.followsOwnerTeam()) {
        trackOpenTotals(resolved);
      }
      out.collect(resolved);
    }
  }

  private void applyUserChange(CrmChange change, long time, String userId, Collector<DealFact> out)
      throws Exception {
    Map<String, Object> fields = change.getFields();
    if (change.getChangeType() == ChangeType.DELETE || !fields.containsKey(CanonicalFields.TEAM)) {
      return;
    }
    String oldTeam = effectiveTeam(userId);
    Object value = fields.get(CanonicalFields.TEAM);
    if (value == null || value.toString().isBlank()) {
      team.clear();
    } else {
      team.update(value.toString());
    }
    String newTeam = effectiveTeam(userId);
    if (!newTeam.equals(oldTeam)) {
      moveOpenTotals(time, userId, newTeam, out);
    }
  }

  private void moveOpenTotals(long time, String userId, String newTeam, Collector<DealFact> out) throws Exception {
    List<OpenTotals> moved = new ArrayList<>();
    for (OpenTotals totals : openTotals.values()) {
      moved.add(totals);
    }
    for (OpenTotals totals : moved) {
      DealFact leave = DealFact.delta(totals.kind, time, totals.pipeline, totals.stage, userId,
          -totals.count, -totals.amount, -totals.weighted);
      leave.createdAt = totals.createdAt;
      out.collect(leave.withTeam(totals.team));
      DealFact join = DealFact.delta(totals.kind, time, totals.pipeline, totals.stage, userId,
          totals.count, totals.amount, totals.weighted);
      join.createdAt = totals.createdAt;
      out.collect(join.withTeam(newTeam));
      totals.team = newTeam;
      openTotals.put(totalsKey(totals.kind, totals.pipeline, totals.stage, totals.createdAt), totals);
    }
  }

  private static String totalsKey(DealFact.Kind kind, String pipeline, String stage, long createdAt) {
    return kind.name() + '\u0000' + pipeline + '\u0000' + stage + '\u0000' + createdAt;
  }

  private void trackOpenTotals(DealFact delta) throws Exception {
    String key = totalsKey(delta.kind, delta.pipeline, delta.stage, delta.createdAt);
    OpenTotals totals = openTotals.get(key);
    if (totals == null) {
      totals = new OpenTotals(delta.pipeline, delta.stage, delta.team);
      totals.kind = delta.kind;
      totals.createdAt = delta.createdAt;
    }
    totals.add(delta.countDelta, delta.amountDelta, delta.weightedDelta);
    if (totals.count == 0) {
      openTotals.remove(key);
    } else {
      openTotals.put(key, totals);
    }
  }

  private String effectiveTeam(String userId) throws Exception {
    if (userId.isEmpty()) {
      return UNASSIGNED;
    }
    String fromStream = team.value();
    if (fromStream != null) {
      return fromStream;
    }
    String configured = directory.teamOf(userId);
    return configured == null ? UNKNOWN : configured;
  }
}
