package io.pipelinepulse.directory;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.FactSerializer;
import io.pipelinepulse.facts.OwnerState;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.time.EventTimeBuffer;
import io.pipelinepulse.types.CrmChangeSerializer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user id: labels the current state of an owner's records (open, stalled, past due,
 * awaiting) with the owner's team at the change's moment. User changes and state changes are both
 * held until the clock reaches them and applied in event-time order (user changes first at equal
 * times), so a team change never leaks backwards into older facts. Facts of a moment (exits,
 * closes, first touches ...) get their team where they are made and do not come here.
 *
 * <p>Current state's team is the owner's team now: the resolver keeps the owner's totals of each
 * and, when the owner changes team, moves them from the old team to the new.
 */
public final class TeamResolver extends KeyedCoProcessFunction<String, CrmChange, OwnerState, Fact> {

  public static final String UNASSIGNED = "unassigned";
  public static final String UNKNOWN = "unknown";

  private final UserDirectory directory;

  private transient EventTimeBuffer<CrmChange> pendingUsers;
  private transient EventTimeBuffer<OwnerState> pendingChanges;
  private transient ValueState<String> team;
  /** What the owner holds of each current state, by {@link OwnerState#totalsKey}. */
  private transient MapState<String, OwnerState> held;

  public TeamResolver(UserDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void open(OpenContext openContext) {
    pendingUsers = new EventTimeBuffer<>(getRuntimeContext(), "pending-user-changes",
        CrmChangeSerializer.TYPE, CrmChange::getCommitTime,
        Comparator.comparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId));
    // Changes of one owner at one moment keep their arrival order; it does not change any total.
    pendingChanges = new EventTimeBuffer<>(getRuntimeContext(), "pending-facts", FactSerializer.typeOf(OwnerState.class),
        OwnerState::time, (a, b) -> 0);
    team = getRuntimeContext().getState(new ValueStateDescriptor<>("team", Types.STRING));
    held = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("held-state", Types.STRING, FactSerializer.typeOf(OwnerState.class)));
  }

  @Override
  public void processElement1(CrmChange userChange, Context ctx, Collector<Fact> out) throws Exception {
    pendingUsers.add(userChange, ctx.timerService());
  }

  @Override
  public void processElement2(OwnerState change, Context ctx, Collector<Fact> out) throws Exception {
    pendingChanges.add(change, ctx.timerService());
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    for (CrmChange change : pendingUsers.take(time)) {
      applyUserChange(change, time, ctx.getCurrentKey(), out);
    }
    String current = effectiveTeam(ctx.getCurrentKey());
    for (OwnerState change : pendingChanges.take(time)) {
      OwnerState resolved = change.withTeam(current);
      hold(resolved);
      out.collect(resolved);
    }
  }

  private void applyUserChange(CrmChange change, long time, String userId, Collector<Fact> out)
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
      moveHeldState(time, newTeam, out);
    }
  }

  private void moveHeldState(long time, String newTeam, Collector<Fact> out) throws Exception {
    List<Map.Entry<String, OwnerState>> moved = new ArrayList<>();
    for (Map.Entry<String, OwnerState> entry : held.entries()) {
      moved.add(Map.entry(entry.getKey(), entry.getValue()));
    }
    for (Map.Entry<String, OwnerState> entry : moved) {
      OwnerState totals = entry.getValue();
      out.collect(totals.negatedAt(time));
      OwnerState joined = totals.at(time).withTeam(newTeam);
      out.collect(joined);
      held.put(entry.getKey(), joined);
    }
  }

  private void hold(OwnerState change) throws Exception {
    String key = change.totalsKey();
    OwnerState totals = held.get(key);
    totals = totals == null ? change : totals.plus(change);
    if (totals.isEmpty()) {
      held.remove(key);
    } else {
      held.put(key, totals);
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
