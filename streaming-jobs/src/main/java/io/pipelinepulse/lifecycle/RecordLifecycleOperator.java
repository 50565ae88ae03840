package io.pipelinepulse.lifecycle;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.ingest.ChangeGate;
import io.pipelinepulse.ingest.DeadLetters;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.IngestedChangeSerializer;
import io.pipelinepulse.ingest.InputOutcome;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.time.ShortEventTimeBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link RecordLifecycle} keyed by record: lets each change in once and in time
 * ({@link ChangeGate}), holds it in the record's state until the clock reaches its commit time, then
 * applies the record's changes of that moment in commit order. User changes arrive in broadcast and
 * tell the owner's team at any moment the clock has passed: every fact leaves labelled with its
 * owner's team at its moment, and when an owner changes team, what their records hold of current
 * state (open deals, awaiting leads) moves with them at that moment. No second keyed hop by owner.
 *
 * <p>Changes wait in one queue of the operator ordered by commit time, not behind an event-time
 * timer each: a timer costs a change an entry in the key-group timer heap and its de-duplication
 * set, and a record's own deadline keeps the one timer it has. When the clock advances, the queue
 * and the deadline timers are worked through in time order, deadlines before the changes of a
 * later moment. The queue is the index of the records' held changes, rebuilt from that keyed state
 * when the operator is restored, so it is never checkpointed itself.
 */
public final class RecordLifecycleOperator extends AbstractUdfStreamOperator<Fact, RecordLifecycle>
    implements TwoInputStreamOperator<IngestedChange, CrmChange, Fact>, Triggerable<String, VoidNamespace> {

  private static final String PENDING = "pending-changes";
  private static final Comparator<IngestedChange> HELD_ORDER =
      Comparator.comparing(record -> record.change, RecordLifecycle.COMMIT_ORDER);

  private final UserDirectory directory;
  private final Duration dedupRetention;
  private final DeadLetters deadLetters;
  private transient LifecycleFailures failures;
  private transient TextPool origins;
  private transient RecordsHeld held;

  private transient ChangeGate gate;
  private transient ShortEventTimeBuffer<IngestedChange> pending;
  private transient PriorityQueue<Due> due;
  private transient long arrivals;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient TimerService timerService;
  private transient BroadcastState<String, Map<Long, String>> ownerTeams;
  private transient OwnerTeams.Reader teams;
  private transient TimestampedCollector<Fact> collector;
  private transient Collector<Fact> labelled;
  private transient Context context;
  /** The moment the record at hand is at: its change's, or the clock's while it applies changes. */
  private transient long moment;
  /** The clock this operator has worked through: every change, move and deadline up to it is applied. */
  private transient long clock;
  /** Moves of owners waiting in the queue, as owner and time, so one moment's move is made once. */
  private transient Set<String> queuedMoves;
  private transient ListState<long[]> clocksState;
  /**
   * After a restore, until this subtask's clock passes them: the clocks the former subtasks had
   * worked through, one array by subtask index per former generation of the job (a restore while
   * still catching up adds one). A record has seen every move up to the latest of the clocks of
   * the subtasks that held it.
   */
  private transient Map<Integer, long[]> restoredClocks;
  private transient long restoredClockMax;
  private transient int generation;

  public RecordLifecycleOperator(RecordLifecycle lifecycle, UserDirectory directory, Duration dedupRetention,
      DeadLetters deadLetters) {
    super(lifecycle);
    this.directory = directory;
    this.dedupRetention = dedupRetention;
    this.deadLetters = deadLetters;
  }

  /**
   * Work for a moment of the clock: a record with changes held for {@code time} ({@code key}), or
   * an owner moving to another team ({@code owner}). At one moment moves come first, as a user
   * change applies before the facts of its moment; {@code arrival} keeps the order stable.
   */
  private record Due(long time, long arrival, String key, String owner) implements Comparable<Due> {

    static Due change(long time, long arrival, String key) {
      return new Due(time, arrival, key, null);
    }

    static Due move(long time, long arrival, String owner) {
      return new Due(time, arrival, null, owner);
    }

    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(time, other.time);
      if (byTime != 0) {
        return byTime;
      }
      int byKind = Boolean.compare(owner == null, other.owner == null);
      return byKind != 0 ? byKind : Long.compare(arrival, other.arrival);
    }
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    clock = Long.MIN_VALUE;
    // Each subtask's clock, for every subtask after a restore: the keys a subtask gets may have
    // been another's, which had moved their owners up to its own clock.
    // Entries: generation, subtask index, parallelism, clock.
    clocksState = context.getOperatorStateStore().getUnionListState(
        new ListStateDescriptor<>("worked-through-clock", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    generation = 0;
    if (context.isRestored()) {
      restoredClocks = new HashMap<>();
      restoredClockMax = Long.MIN_VALUE;
      for (long[] entry : clocksState.get()) {
        long[] clocks = restoredClocks.computeIfAbsent((int) entry[0], g -> {
          long[] none = new long[(int) entry[2]];
          Arrays.fill(none, Long.MIN_VALUE);
          return none;
        });
        clocks[(int) entry[1]] = Math.max(clocks[(int) entry[1]], entry[3]);
        restoredClockMax = Math.max(restoredClockMax, entry[3]);
        generation = Math.max(generation, (int) entry[0] + 1);
      }
      if (restoredClocks.isEmpty()) {
        restoredClocks = null;
      }
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<long[]> entries = new ArrayList<>();
    if (restoredClocks != null) {
      restoredClocks.forEach((former, clocks) -> {
        for (int index = 0; index < clocks.length; index++) {
          entries.add(new long[] {former, index, clocks.length, clocks[index]});
        }
      });
    }
    entries.add(new long[] {generation, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
        getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(), clock});
    clocksState.update(entries);
  }

  @Override
  public void open() throws Exception {
    super.open();
    timers = getInternalTimerService("record-deadlines", VoidNamespaceSerializer.INSTANCE, this);
    timerService = new SimpleTimerService(timers);
    ownerTeams = getOperatorStateBackend().getBroadcastState(OwnerTeams.STATE);
    teams = new OwnerTeams.Reader(ownerTeams, directory);
    String name = Objects.requireNonNullElse(getOperatorName(), "");
    gate = new ChangeGate(getRuntimeContext(), dedupRetention, deadLetters, name);
    pending = new ShortEventTimeBuffer<>(getRuntimeContext(), PENDING, IngestedChangeSerializer.TYPE,
        record -> record.change.getCommitTime(), HELD_ORDER);
    collector = new TimestampedCollector<>(output);
    labelled = new TeamLabelled();
    context = new Context();
    failures = new LifecycleFailures(deadLetters, name, InputOutcome.entityLabel(userFunction.entity()), context);
    origins = new TextPool();
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> restored = backend.getKeys(userFunction.recordStateName(), VoidNamespace.INSTANCE)) {
      held = new RecordsHeld(getMetricGroup(), restored.count());
    }
    due = new PriorityQueue<>();
    queuedMoves = new HashSet<>();
    rebuildQueue();
  }

  /** After a restore: the records holding changes, from their state. */
  private void rebuildQueue() throws Exception {
    List<String> keys;
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> held = backend.getKeys(PENDING, VoidNamespace.INSTANCE)) {
      keys = held.toList();
    }
    for (String key : keys) {
      setCurrentKey(key);
      for (long time : pending.times()) {
        due.add(Due.change(time, arrivals++, key));
      }
    }
    if (restoredClocks != null) {
      long oldest = restoredClocks.values().stream().flatMapToLong(Arrays::stream).min().orElse(Long.MIN_VALUE);
      for (Map.Entry<String, Map<Long, String>> user : ownerTeams.entries()) {
        for (long time : user.getValue().keySet()) {
          if (time > oldest) {
            queueMove(user.getKey(), time);
          }
        }
      }
    }
  }

  private void queueMove(String owner, long time) {
    if (queuedMoves.add(owner + '\u0000' + time)) {
      due.add(Due.move(time, arrivals++, owner));
    }
  }

  @Override
  public void processElement1(StreamRecord<IngestedChange> element) throws Exception {
    IngestedChange record = element.getValue();
    moment = element.getTimestamp();
    if (gate.admit(record, timers.currentWatermark(), getProcessingTimeService().getCurrentProcessingTime(),
        userFunction.countsOutcomeOf(record.change), context::output)
        && pending.hold(held(record))) {
      due.add(Due.change(record.change.getCommitTime(), arrivals++, (String) getCurrentKey()));
    }
  }

  @Override
  public void processElement2(StreamRecord<CrmChange> element) throws Exception {
    CrmChange user = element.getValue();
    OwnerTeams.record(ownerTeams, user, timers.currentWatermark());
    teams.changed(user.getRecordId());
    if (OwnerTeams.setsTeam(user)) {
      queueMove(user.getRecordId(), user.getCommitTime());
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long until = mark.getTimestamp();
    while (!due.isEmpty() && due.peek().time <= until) {
      long time = due.peek().time;
      // Deadlines before this moment first, each at its own time.
      getTimeServiceManager().orElseThrow().advanceWatermark(new Watermark(time - 1));
      while (!due.isEmpty() && due.peek().time == time) {
        Due next = due.poll();
        if (next.owner != null) {
          queuedMoves.remove(next.owner + '\u0000' + time);
          moveOwner(next.owner, time);
        } else {
          applyDue(next.key, time);
        }
      }
    }
    super.processWatermark(mark);
    clock = Math.max(clock, until);
    if (restoredClocks != null && clock >= restoredClockMax) {
      restoredClocks = null;
    }
  }

  /**
   * The owner's team changed at {@code time}: every record of theirs moves what it holds of
   * current state from the old team to the new, before the facts of that moment. Team changes are
   * rare (a rep changing team every few weeks), so the records are found by going through all of
   * this operator's, rather than by an index every record would pay for.
   */
  private void moveOwner(String owner, long time) throws Exception {
    String from = teamAt(owner, time - 1);
    String to = teamAt(owner, time);
    if (from.equals(to)) {
      return;
    }
    List<String> keys;
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> records = backend.getKeys(userFunction.recordStateName(), VoidNamespace.INSTANCE)) {
      keys = records.toList();
    }
    atMoment(time);
    for (String key : keys) {
      if (movedBeforeRestore(key, time)) {
        continue;
      }
      setCurrentKey(key);
      try {
        userFunction.ownerMoved(owner, from, to, time, context, collector);
      } catch (RuntimeException e) {
        failures.deadline(key, time, "the move of owner " + owner + " to team " + to, e);
      }
    }
  }

  /** Whether a subtask that held {@code key} before a restore had already made this move. */
  private boolean movedBeforeRestore(String key, long time) {
    if (restoredClocks == null || time > restoredClockMax) {
      return false;
    }
    int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
    for (long[] clocks : restoredClocks.values()) {
      if (time <= clocks[KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, clocks.length)]) {
        return true;
      }
    }
    return false;
  }

  private void applyDue(String key, long time) throws Exception {
    setCurrentKey(key);
    List<IngestedChange> changes = pending.take(time);
    if (changes.isEmpty()) {
      return;
    }
    // A deadline of this very moment is met here, after the changes, once.
    timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
    atMoment(time);
    boolean had = userFunction.holdsRecord();
    for (IngestedChange record : changes) {
      try {
        userFunction.apply(record.change, time, context, labelled);
      } catch (RuntimeException e) {
        failures.change(record, key, e);
      }
    }
    clockPassed(key, time);
    held.changed(had, userFunction.holdsRecord());
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    atMoment(timer.getTimestamp());
    boolean had = userFunction.holdsRecord();
    clockPassed(timer.getKey(), timer.getTimestamp());
    held.changed(had, userFunction.holdsRecord());
  }

  private void clockPassed(String key, long time) throws Exception {
    try {
      userFunction.clockPassed(time, context, labelled);
    } catch (RuntimeException e) {
      failures.deadline(key, time, "a deadline", e);
    }
  }

  /** A change as it waits for the clock: its origin's texts shared with the other changes'. */
  private IngestedChange held(IngestedChange record) {
    IngestedChange held = new IngestedChange();
    held.change = record.change;
    held.format = origins.of(record.format);
    held.topic = origins.of(record.topic);
    held.partition = record.partition;
    held.offset = record.offset;
    held.recordTimestamp = record.recordTimestamp;
    return held;
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    // Records react to the job's clock only.
  }

  private void atMoment(long time) {
    moment = time;
    collector.setAbsoluteTimestamp(time);
  }

  private String teamAt(String ownerId, long time) throws Exception {
    return teams.teamAt(ownerId, time);
  }

  /** The lifecycle's view of this operator, for the record whose key is current. */
  private final class Context implements RecordContext, ChangeGate.SideOutputs {

    @Override
    public String currentKey() {
      return (String) getCurrentKey();
    }

    @Override
    public TimerService timerService() {
      return timerService;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      output.collect(tag, new StreamRecord<>(value, moment));
    }

    @Override
    public String teamAt(String ownerId, long time) throws Exception {
      return RecordLifecycleOperator.this.teamAt(ownerId, time);
    }
  }

  /**
   * Gives each fact its owner's team at its moment as it is made, so it goes straight to its
   * aggregation. Current state that follows its owner to a new team is moved by
   * {@link #moveOwner}; a missing field is counted per pipeline only.
   */
  private final class TeamLabelled implements Collector<Fact> {

    @Override
    public void collect(Fact fact) {
      if (fact instanceof MissingFieldDelta || fact.team() != null) {
        collector.collect(fact);
        return;
      }
      try {
        collector.collect(fact.withTeam(teamAt(fact.ownerId(), fact.time())));
      } catch (Exception e) {
        throw new FlinkRuntimeException("the owner's team could not be read", e);
      }
    }

    @Override
    public void close() {
      collector.close();
    }
  }
}
