package io.pipelinepulse.funnel;

import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.WindowTotals;
import java.util.Map;
import org.apache.flink.util.Collector;

/** Stage conversion per (pipeline, stage, team) over the rolling windows: advances / exits. */
public final class StageConversionKpi implements RollingKpi {

  public static final String EXITS = "pulse_stage_exits";
  public static final String ADVANCES = "pulse_stage_advances";
  public static final String RATIO = "pulse_stage_conversion_ratio";

  /** The measurement of one stage exit after its team is known. */
  public static Measurement measure(DealFact exit) {
    return new Measurement(exit.time, "pipeline", exit.pipeline, "stage", exit.stage, "team", exit.team)
        .counts(1, exit.advance ? 1 : 0);
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
  public void publish(String[] dimension, RollingWindow window, WindowTotals totals, long asOf,
      Collector<KpiSnapshot> out) {
    Map<String, String> labels = Kpi.labels(
        "pipeline", dimension[1], "stage", dimension[3], "team", dimension[5], "window", window.label());
    long exits = totals.counts[0];
    long advances = totals.counts[1];
    out.collect(Kpi.gauge(EXITS, labels, (double) exits, asOf));
    out.collect(Kpi.gauge(ADVANCES, labels, (double) advances, asOf));
    out.collect(Kpi.gauge(RATIO, labels, exits == 0 ? null : (double) advances / exits, asOf));
  }
}
