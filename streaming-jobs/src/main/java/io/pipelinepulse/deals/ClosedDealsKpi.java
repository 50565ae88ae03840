package io.pipelinepulse.deals;

import io.pipelinepulse.funnel.RollingWindow;
import io.pipelinepulse.publish.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.WindowTotals;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Win rate, sales cycle, average won amount and sales velocity per (pipeline, team) over the
 * rolling windows, from closed deals in the window and the open deals now.
 *
 * <p>Sales velocity = open deals x win rate x average won amount / average cycle in days; it is
 * absent while any factor is undefined (no deal won in the window).
 */
public final class ClosedDealsKpi implements RollingKpi {

  public static final String CLOSED = "pulse_deals_closed";
  public static final String WIN_RATIO = "pulse_win_ratio";
  public static final String CYCLE = "pulse_sales_cycle_seconds";
  public static final String WON_AVERAGE = "pulse_won_amount_average";
  public static final String VELOCITY = "pulse_sales_velocity_per_day";

  private static final int WON = 0;
  private static final int LOST = 1;
  private static final int WON_WITH_AMOUNT = 2;
  private static final int WON_AMOUNT = 0;
  private static final int WON_CYCLE_SECONDS = 1;
  private static final double SECONDS_PER_DAY = 86_400.0;

  /** The measurement of one fact of a deal after its team is known; null for other facts. */
  public static Measurement measure(DealFact fact) {
    Measurement m = new Measurement(fact.time, "pipeline", fact.pipeline, "team", fact.team);
    if (fact.kind == DealFact.Kind.OPEN_DELTA) {
      return m.currentDelta(fact.countDelta);
    }
    if (fact.kind != DealFact.Kind.CLOSED) {
      return null;
    }
    if (!fact.won) {
      return m.counts(0, 1, 0);
    }
    boolean hasAmount = !Double.isNaN(fact.closedAmount);
    double cycleSeconds = fact.cycleMillis / 1000.0;
    return m.counts(1, 0, hasAmount ? 1 : 0)
        .sums(hasAmount ? fact.closedAmount : 0.0, cycleSeconds)
        .sample(cycleSeconds);
  }

  @Override
  public int counters() {
    return 3;
  }

  @Override
  public int sums() {
    return 2;
  }

  @Override
  public void publish(String[] dimension, RollingWindow window, WindowTotals totals, long asOf,
      Collector<KpiSnapshot> out) {
    String pipeline = dimension[1];
    String team = dimension[3];
    String w = window.label();
    long won = totals.counts[WON];
    long lost = totals.counts[LOST];
    out.collect(Kpi.gauge(CLOSED, Kpi.labels("pipeline", pipeline, "team", team, "window", w, "outcome", "won"),
        (double) won, asOf));
    out.collect(Kpi.gauge(CLOSED, Kpi.labels("pipeline", pipeline, "team", team, "window", w, "outcome", "lost"),
        (double) lost, asOf));
    Map<String, String> labels = Kpi.labels("pipeline", pipeline, "team", team, "window", w);
    Double winRatio = won + lost == 0 ? null : (double) won / (won + lost);
    Double wonAverage = totals.counts[WON_WITH_AMOUNT] == 0 ? null
        : totals.sums[WON_AMOUNT] / totals.counts[WON_WITH_AMOUNT];
    Double cycleDays = won == 0 ? null : totals.sums[WON_CYCLE_SECONDS] / won / SECONDS_PER_DAY;
    out.collect(Kpi.gauge(WIN_RATIO, labels, winRatio, asOf));
    out.collect(Kpi.gauge(WON_AVERAGE, labels, wonAverage, asOf));
    for (String quantile : new String[] {"0.5", "0.9"}) {
      out.collect(Kpi.gauge(CYCLE, Kpi.labels("pipeline", pipeline, "team", team, "window", w, "quantile", quantile),
          totals.histogram.quantile(Double.parseDouble(quantile)), asOf));
    }
    Double velocity = winRatio == null || wonAverage == null || cycleDays == null || cycleDays == 0 ? null
        : totals.current * winRatio * wonAverage / cycleDays;
    out.collect(Kpi.gauge(VELOCITY, labels, velocity, asOf));
  }
}
