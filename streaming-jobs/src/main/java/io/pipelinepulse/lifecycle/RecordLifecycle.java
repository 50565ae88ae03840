package io.pipelinepulse.lifecycle;

import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.util.Comparator;
import org.apache.flink.api.common.functions.AbstractRichFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.util.Collector;

/**
 * What a kind of CRM record (a deal, a lead) does with its changes, run by
 * {@link RecordLifecycleOperator}: each change is applied at its commit time once the clock has
 * reached it, in commit order, then the record reacts to the clock (deadlines) through its one
 * deadline timer.
 */
public abstract class RecordLifecycle extends AbstractRichFunction {

  /** Changes with one commit time apply in sequence order, then by event id. */
  public static final Comparator<CrmChange> COMMIT_ORDER =
      Comparator.comparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId);

  @Override
  public final void open(OpenContext openContext) {
    openState();
  }

  /** Creates the record's own state. */
  protected abstract void openState();

  /** Whether this lifecycle counts the change's input outcome: a change held by two is counted once. */
  protected boolean countsOutcomeOf(CrmChange change) {
    return true;
  }

  /** Applies one change of the record (or an activity linked to it) at its commit time. */
  protected abstract void apply(CrmChange change, long time, RecordContext ctx, Collector<Fact> out)
      throws Exception;

  /** The clock reached {@code time}, after the changes of that moment: deadlines that passed. */
  protected abstract void clockPassed(long time, RecordContext ctx, Collector<Fact> out) throws Exception;

  /** The kind of record this lifecycle follows. */
  protected abstract Entity entity();

  /** The name of the state every record of this lifecycle has while it is remembered. */
  protected abstract String recordStateName();

  /** Whether the current key has a record in that state. */
  protected abstract boolean holdsRecord() throws Exception;

  /**
   * {@code ownerId} moved from team {@code from} to team {@code to} at {@code time}: if the record
   * is theirs, what it holds of current state leaves {@code from} and joins {@code to}, in facts
   * that carry those teams. Offered to every record of the operator, before the changes of that
   * moment.
   */
  protected abstract void ownerMoved(String ownerId, String from, String to, long time, RecordContext ctx,
      Collector<Fact> out) throws Exception;
}
