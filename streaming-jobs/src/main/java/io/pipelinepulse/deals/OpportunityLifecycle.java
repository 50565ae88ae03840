package io.pipelinepulse.deals;

import io.pipelinepulse.config.CurrencyRates;
import io.pipelinepulse.config.PipelineCatalog;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.time.EventTimeBuffer;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by opportunity id: merges the deal's changes in commit-time order and emits what each
 * change means for the KPIs: stage exits (advance or drop) and open-pipeline deltas.
 *
 * <p>State hygiene: a closed deal's state is dropped at once (a later edit of a closed deal is
 * not remembered); a deleted deal's state is kept for
 * {@link #DELETED_RETENTION} so an undelete restores it, then dropped.
 */
public final class OpportunityLifecycle extends KeyedProcessFunction<String, CrmChange, DealFact> {

  /** As long as a CRM keeps deleted records restorable (Salesforce's recycle bin). */
  public static final Duration DELETED_RETENTION = Duration.ofDays(15);

  static final Comparator<CrmChange> COMMIT_ORDER =
      Comparator.comparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId);

  private final PipelineCatalog pipelines;
  private final CurrencyRates currency;

  private transient EventTimeBuffer<CrmChange> pending;
  private transient ValueState<DealState> deal;
  private transient ValueState<Long> cleanupAt;

  public OpportunityLifecycle(PipelineCatalog pipelines, CurrencyRates currency) {
    this.pipelines = pipelines;
    this.currency = currency;
  }

  @Override
  public void open(OpenContext openContext) {
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-changes",
        TypeInformation.of(CrmChange.class), COMMIT_ORDER);
    deal = getRuntimeContext().getState(new ValueStateDescriptor<>("deal", DealState.class));
    cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
  }

  @Override
  public void processElement(CrmChange change, Context ctx, Collector<DealFact> out) throws Exception {
    pending.add(change.getCommitTime(), change, ctx.timerService());
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<DealFact> out) throws Exception {
    for (CrmChange change : pending.take(time)) {
      apply(change, time, ctx, out);
    }
    Long cleanup = cleanupAt.value();
    if (cleanup != null && cleanup == time) {
      cleanupAt.clear();
      DealState current = deal.value();
      if (current != null && current.deleted) {
        deal.clear();
      }
    }
  }

  private void apply(CrmChange change, long time, Context ctx, Collector<DealFact> out) throws Exception {
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
    emitTransition(before, after, time, out);
    // Only open and deleted deals need memory: a closed deal (or a fragment of one whose
    // creation was never seen) would otherwise hold state forever.
    if (!isOpen(after) && !after.deleted) {
      deal.clear();
      dropCleanupTimer(ctx);
    } else {
      deal.update(after);
      if (after.deleted) {
        long at = time + DELETED_RETENTION.toMillis();
        dropCleanupTimer(ctx);
        cleanupAt.update(at);
        ctx.timerService().registerEventTimeTimer(at);
      } else {
        dropCleanupTimer(ctx);
      }
    }
  }

  private void dropCleanupTimer(Context ctx) throws Exception {
    Long at = cleanupAt.value();
    if (at != null) {
      ctx.timerService().deleteEventTimeTimer(at);
      cleanupAt.clear();
    }
  }

  private void emitTransition(DealState before, DealState after, long time, Collector<DealFact> out) {
    boolean wasOpen = isOpen(before);
    boolean isOpen = isOpen(after);
    if (wasOpen) {
      String pipeline = pipelines.resolve(before.pipeline);
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
    }
    if (wasOpen && isOpen && sameContribution(before, after)) {
      return;
    }
    if (wasOpen) {
      out.collect(DealFact.openDelta(time, pipelines.resolve(before.pipeline), before.stage, before.ownerId,
          -1, -amount(before), -weighted(before)));
    }
    if (isOpen) {
      out.collect(DealFact.openDelta(time, pipelines.resolve(after.pipeline), after.stage, after.ownerId,
          1, amount(after), weighted(after)));
    }
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

  private boolean sameContribution(DealState before, DealState after) {
    return Objects.equals(pipelines.resolve(before.pipeline), pipelines.resolve(after.pipeline))
        && Objects.equals(before.stage, after.stage)
        && Objects.equals(before.ownerId, after.ownerId)
        && amount(before) == amount(after)
        && weighted(before) == weighted(after);
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
