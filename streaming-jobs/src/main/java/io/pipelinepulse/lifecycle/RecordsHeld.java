package io.pipelinepulse.lifecycle;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * How many records (deals, leads) a lifecycle subtask holds in state, as the operator's Flink gauge
 * {@code recordsHeld}: what the state bounds keep it to, visible while the job runs.
 */
final class RecordsHeld {

  static final String GAUGE = "recordsHeld";

  private volatile long count;

  RecordsHeld(MetricGroup group, long restored) {
    count = restored;
    group.gauge(GAUGE, (Gauge<Long>) () -> count);
  }

  /** The current key held a record before ({@code had}) and holds one now ({@code has}), or not. */
  void changed(boolean had, boolean has) {
    if (had != has) {
      count += has ? 1 : -1;
    }
  }
}
