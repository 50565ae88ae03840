package io.pipelinepulse.window;

import io.pipelinepulse.window.RollingWindow;
import io.pipelinepulse.schema.KpiSnapshot;
import java.io.Serializable;

/**
 * Turns a window's totals into the published series of one rolling KPI, in two steps: the values
 * as primitives, then a snapshot only for a series whose value moved. Most bucket timers change a
 * few series of one window, so building every snapshot first and comparing after was most of the
 * aggregation's cost.
 */
public interface RollingKpi extends Serializable {

  int counters();

  int sums();

  /** How many series one window of one dimension publishes. */
  int seriesCount();

  /**
   * Writes the value of each series into {@code values} (NaN where a series is absent, e.g. a
   * ratio without denominator).
   *
   * @param totals the window's totals; {@code totals.current} is the current-state count
   */
  void values(WindowTotals totals, double[] values);

  /**
   * The snapshot of one series.
   *
   * @param labels the dimension labels (name, value, ...), without the window
   * @param value the series' value; NaN publishes it as absent
   */
  KpiSnapshot snapshot(String[] labels, RollingWindow window, int series, double value, long asOf);
}
