package io.pipelinepulse.window;

import io.pipelinepulse.funnel.RollingWindow;
import io.pipelinepulse.schema.KpiSnapshot;
import java.io.Serializable;
import org.apache.flink.util.Collector;

/** Turns a window's totals into the published series of one rolling KPI. */
public interface RollingKpi extends Serializable {

  int counters();

  int sums();

  /**
   * Publishes the series of one window.
   *
   * @param labels the dimension labels (name, value, ...), without the window
   * @param totals the window's totals; {@code totals.current} is the current-state count
   */
  void publish(String[] labels, RollingWindow window, WindowTotals totals, long asOf, Collector<KpiSnapshot> out);
}
