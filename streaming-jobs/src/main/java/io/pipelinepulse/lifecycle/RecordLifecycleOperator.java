package io.pipelinepulse.lifecycle;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.facts.OwnerState;
import io.pipelinepulse.ingest.ChangeGate;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.time.ShortEventTimeBuffer;
import io.pipelinepulse.types.CrmChangeSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link RecordLifecycle} keyed by record: lets each change in once and in time
 * ({@link ChangeGate}), holds it in the record's state until the clock reaches its commit time, then
 * applies the record's changes of that moment in commit order. User changes arrive in broadcast and
 * tell the owner's team at any moment the clock has passed.
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

  private final UserDirectory directory;
  private final Duration dedupRetention;

  private transient ChangeGate gate;
  private transient ShortEventTimeBuffer<CrmChange> pending;
  private transient PriorityQueue<Due> due;
  private transient long arrivals;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient TimerService timerService;
  private transient BroadcastState<String, Map<Long, String>> ownerTeams;
  private transient TimestampedCollector<Fact> collector;
  private transient Collector<Fact> labelled;
  private transient Context context;
  /** The moment the record at hand is at: its change's, or the clock's while it applies changes. */
  private transient long moment;

  public RecordLifecycleOperator(RecordLifecycle lifecycle, UserDirectory directory, Duration dedupRetention) {
    super(lifecycle);
    this.directory = directory;
    this.dedupRetention = dedupRetention;
  }

  /** A record with changes held for {@code time}; {@code arrival} keeps the order of equal times stable. */
  private record Due(long time, long arrival, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(arrival, other.arrival);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    timers = getInternalTimerService("record-deadlines", VoidNamespaceSerializer.INSTANCE, this);
    timerService = new SimpleTimerService(timers);
    ownerTeams = getOperatorStateBackend().getBroadcastState(OwnerTeams.STATE);
    gate = new ChangeGate(getRuntimeContext(), dedupRetention);
    pending = new ShortEventTimeBuffer<>(getRuntimeContext(), PENDING, CrmChangeSerializer.TYPE,
        CrmChange::getCommitTime, RecordLifecycle.COMMIT_ORDER);
    collector = new TimestampedCollector<>(output);
    labelled = new TeamLabelled();
    context = new Context();
    due = new PriorityQueue<>();
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
        due.add(new Due(time, arrivals++, key));
      }
    }
  }

  @Override
  public void processElement1(StreamRecord<IngestedChange> element) throws Exception {
    IngestedChange record = element.getValue();
    moment = element.getTimestamp();
    if (gate.admit(record, timers.currentWatermark(), getProcessingTimeService().getCurrentProcessingTime(),
        userFunction.countsOutcomeOf(record.change), context::output)
        && pending.hold(record.change)) {
      due.add(new Due(record.change.getCommitTime(), arrivals++, (String) getCurrentKey()));
    }
  }

  @Override
  public void processElement2(StreamRecord<CrmChange> element) throws Exception {
    OwnerTeams.record(ownerTeams, element.getValue());
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long clock = mark.getTimestamp();
    while (!due.isEmpty() && due.peek().time <= clock) {
      long time = due.peek().time;
      // Deadlines before this moment first, each at its own time.
      getTimeServiceManager().orElseThrow().advanceWatermark(new Watermark(time - 1));
      while (!due.isEmpty() && due.peek().time == time) {
        applyDue(due.poll().key, time);
      }
    }
    super.processWatermark(mark);
  }

  private void applyDue(String key, long time) throws Exception {
    setCurrentKey(key);
    List<CrmChange> changes = pending.take(time);
    if (changes.isEmpty()) {
      return;
    }
    // A deadline of this very moment is met here, after the changes, once.
    timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
    atMoment(time);
    for (CrmChange change : changes) {
      userFunction.apply(change, time, context, labelled);
    }
    userFunction.clockPassed(time, context, labelled);
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    atMoment(timer.getTimestamp());
    userFunction.clockPassed(timer.getTimestamp(), context, labelled);
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
    return OwnerTeams.teamAt(ownerTeams, directory, ownerId, time);
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
   * Gives each fact of a moment its owner's team at that moment as it is made, so it goes straight
   * to its aggregation. Current state that follows its owner to a new team leaves without one: the
   * owner-keyed {@link io.pipelinepulse.directory.TeamResolver} keeps those totals and moves them.
   */
  private final class TeamLabelled implements Collector<Fact> {

    @Override
    public void collect(Fact fact) {
      if (fact instanceof OwnerState || fact instanceof MissingFieldDelta) {
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
