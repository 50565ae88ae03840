package io.pipelinepulse.publish;

import io.pipelinepulse.config.PulseConfig.StartingOffsets;
import java.util.Locale;

/**
 * Where the running job's state came from, as {@code pulse_job_state_restored{source}} tells it:
 * restored from a checkpoint or a savepoint, rebuilt by replaying the retained input, or none (the
 * job started from committed or latest offsets with empty state, so its KPIs leave out the history
 * before).
 */
public enum StateOrigin {
  CHECKPOINT,
  SAVEPOINT,
  REPLAY,
  NONE;

  public static final String METRIC = "pulse_job_state_restored";

  /**
   * @param restored whether Flink restored the job's state
   * @param fromSavepoint whether the job was started from a savepoint and this is its first run
   *     (a failover later restores a checkpoint)
   */
  public static StateOrigin of(boolean restored, boolean fromSavepoint, StartingOffsets startingOffsets) {
    if (restored) {
      return fromSavepoint ? SAVEPOINT : CHECKPOINT;
    }
    return startingOffsets == StartingOffsets.EARLIEST ? REPLAY : NONE;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
