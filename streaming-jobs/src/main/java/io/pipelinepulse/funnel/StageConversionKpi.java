package io.pipelinepulse.funnel;

import io.pipelinepulse.facts.StageExit;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.RollingWindow;
import io.pipelinepulse.window.WindowTotals;

/** Stage conversion per (pipeline, stage, team) over the rolling windows: advances / exits. */
public final class StageConversionKpi implements RollingKpi {

  public static final String EXITS = "pulse_stage_exits";
  public static final String ADVANCES = "pulse_stage_advances";
  public static final String RATIO = "pulse_stage_conversion_ratio";

  private static final String[] SERIES = {EXITS, ADVANCES, RATIO};

  /** The measurement of one stage exit after its team is known. */
  public static Measurement measure(StageExit exit) {
    return new Measurement(exit.time(), "pipeline", exit.pipeline(), "stage", exit.stage(), "team", exit.team())
        .counts(1, exit.advance() ? 1 : 0);
  }

  @Override
  public int counters() {
    return 2;
  }

  @Override
  public int sums() {
    return 0;
  }

  @Override
  public int seriesCount() {
    return SERIES.length;
  }

  @Override
  public void values(WindowTotals totals, double[] values) {
    long exits = totals.counts[0];
    long advances = totals.counts[1];
    values[0] = exits;
    values[1] = advances;
    values[2] = exits == 0 ? Double.NaN : (double) advances / exits;
  }

  @Override
  public KpiSnapshot snapshot(String[] dimension, RollingWindow window, int series, double value, long asOf) {
    return Kpi.gaugeOrAbsent(SERIES[series], Kpi.labels(
        "pipeline", dimension[1], "stage", dimension[3], "team", dimension[5], "window", window.label()), value, asOf);
  }
}
