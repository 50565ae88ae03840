package io.pipelinepulse.batching;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;

/**
 * A chained operator that gathers what it receives and passes it on in batches: at a short
 * processing-time interval, before every checkpoint barrier (so it holds nothing a checkpoint would
 * have to keep) and at the end of input. Subclasses gather in {@code processElement} and pass on in
 * {@link #flush()}.
 */
public abstract class BatchingOperator<IN, OUT> extends AbstractStreamOperator<OUT>
    implements OneInputStreamOperator<IN, OUT>, ProcessingTimeCallback {

  private final long flushIntervalMillis;

  protected BatchingOperator(long flushIntervalMillis) {
    this.flushIntervalMillis = flushIntervalMillis;
  }

  @Override
  public void open() throws Exception {
    super.open();
    openBatch();
    scheduleFlush();
  }

  /** Creates what gathers the batch. */
  protected abstract void openBatch();

  /** Passes on what was gathered since the last flush. */
  protected abstract void flush();

  @Override
  public final void onProcessingTime(long time) {
    flush();
    scheduleFlush();
  }

  @Override
  public final void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public final void finish() throws Exception {
    flush();
    super.finish();
  }

  private void scheduleFlush() {
    getProcessingTimeService().registerTimer(
        getProcessingTimeService().getCurrentProcessingTime() + flushIntervalMillis, this);
  }
}
