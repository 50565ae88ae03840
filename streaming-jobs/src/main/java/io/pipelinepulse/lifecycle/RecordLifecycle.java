package io.pipelinepulse.lifecycle;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.MissingFieldDelta;
import io.pipelinepulse.facts.OwnerState;
import io.pipelinepulse.ingest.ChangeGate;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.time.HeldUntilClock;
import io.pipelinepulse.time.ShortEventTimeBuffer;
import io.pipelinepulse.types.CrmChangeSerializer;
import java.time.Duration;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by a CRM record (a deal, a lead): lets each change in once and in time ({@link ChangeGate},
 * so a change crosses the network once on its way to its record), holds the record's changes until
 * the clock reaches their commit time and applies them in commit order, then lets the record react
 * to the clock (deadlines). User changes arrive in broadcast and tell the owner's team at any
 * moment the clock has passed.
 */
public abstract class RecordLifecycle
    extends KeyedBroadcastProcessFunction<String, IngestedChange, CrmChange, Fact> {

  /** Changes with one commit time apply in sequence order, then by event id. */
  public static final Comparator<CrmChange> COMMIT_ORDER =
      Comparator.comparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId);

  private final UserDirectory directory;
  private final Duration dedupRetention;
  private transient ChangeGate gate;
  protected transient HeldUntilClock<CrmChange> pending;

  protected RecordLifecycle(UserDirectory directory, Duration dedupRetention) {
    this.directory = directory;
    this.dedupRetention = dedupRetention;
  }

  @Override
  public final void open(OpenContext openContext) {
    pending = new ShortEventTimeBuffer<>(getRuntimeContext(), "pending-changes", CrmChangeSerializer.TYPE,
        CrmChange::getCommitTime, COMMIT_ORDER);
    gate = new ChangeGate(getRuntimeContext(), dedupRetention);
    openState();
  }

  /** Creates the record's own state. */
  protected abstract void openState();

  @Override
  public final void processElement(IngestedChange record, ReadOnlyContext ctx, Collector<Fact> out)
      throws Exception {
    if (gate.admit(record, ctx.timerService().currentWatermark(), ctx.timerService().currentProcessingTime(),
        countsOutcomeOf(record.change), ctx::output)) {
      pending.add(record.change, ctx.timerService());
    }
  }

  /** Whether this lifecycle counts the change's input outcome: a change held by two is counted once. */
  protected boolean countsOutcomeOf(CrmChange change) {
    return true;
  }

  @Override
  public final void processBroadcastElement(CrmChange userChange, Context ctx, Collector<Fact> out)
      throws Exception {
    OwnerTeams.record(ctx.getBroadcastState(OwnerTeams.STATE), userChange);
  }

  @Override
  public final void onTimer(long time, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    Collector<Fact> labelled = new TeamLabelled(ctx, out);
    for (CrmChange change : pending.take(time)) {
      apply(change, time, ctx, labelled);
    }
    clockPassed(time, ctx, labelled);
  }

  /**
   * Gives each fact of a moment its owner's team at that moment as it is made, so it goes straight
   * to its aggregation. Current state that follows its owner to a new team leaves without one: the
   * owner-keyed {@link io.pipelinepulse.directory.TeamResolver} keeps those totals and moves them.
   */
  private final class TeamLabelled implements Collector<Fact> {

    private final ReadOnlyContext ctx;
    private final Collector<Fact> out;

    TeamLabelled(ReadOnlyContext ctx, Collector<Fact> out) {
      this.ctx = ctx;
      this.out = out;
    }

    @Override
    public void collect(Fact fact) {
      if (fact instanceof OwnerState || fact instanceof MissingFieldDelta) {
        out.collect(fact);
        return;
      }
      try {
        out.collect(fact.withTeam(teamAt(ctx, fact.ownerId(), fact.time())));
      } catch (Exception e) {
        throw new org.apache.flink.util.FlinkRuntimeException("the owner's team could not be read", e);
      }
    }

    @Override
    public void close() {
      out.close();
    }
  }

  /** Applies one change of the record (or an activity linked to it) at its commit time. */
  protected abstract void apply(CrmChange change, long time, ReadOnlyContext ctx, Collector<Fact> out)
      throws Exception;

  /** The clock reached {@code time}, after the changes of that moment: deadlines that passed. */
  protected abstract void clockPassed(long time, OnTimerContext ctx, Collector<Fact> out) throws Exception;

  /** The team of {@code ownerId} at {@code time}, which the clock has passed. */
  protected String teamAt(ReadOnlyContext ctx, String ownerId, long time) throws Exception {
    return OwnerTeams.teamAt(ctx.getBroadcastState(OwnerTeams.STATE), directory, ownerId, time);
  }
}
