package io.pipelinepulse.deals;

import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.window.RollingWindow;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;
import io.pipelinepulse.window.WindowTotals;

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

  /** The measurement of one close after its team is known. */
  public static Measurement measure(DealClosed closed) {
    Measurement m = new Measurement(closed.time(), "pipeline", closed.pipeline(), "team", closed.team());
    if (!closed.won()) {
      return m.counts(0, 1, 0);
    }
    boolean hasAmount = closed.hasAmount();
    double cycleSeconds = closed.cycleMillis() / 1000.0;
    return m.counts(1, 0, hasAmount ? 1 : 0)
        .sums(hasAmount ? closed.amount() : 0.0, cycleSeconds)
        .sample(cycleSeconds);
  }

  /** Open deals enter sales velocity: the measurement of a change of their number under its team now. */
  public static Measurement measureOpen(OpenDealDelta open) {
    return new Measurement(open.time(), "pipeline", open.pipeline(), "team", open.team()).currentDelta(open.count());
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
  public int seriesCount() {
    return 7;
  }

  /** Series: closed won, closed lost, win ratio, average won amount, cycle p50, cycle p90, velocity. */
  @Override
  public void values(WindowTotals totals, double[] values) {
    long won = totals.counts[WON];
    long lost = totals.counts[LOST];
    double winRatio = won + lost == 0 ? Double.NaN : (double) won / (won + lost);
    double wonAverage = totals.counts[WON_WITH_AMOUNT] == 0 ? Double.NaN
        : totals.sums[WON_AMOUNT] / totals.counts[WON_WITH_AMOUNT];
    double cycleDays = won == 0 ? Double.NaN : totals.sums[WON_CYCLE_SECONDS] / won / SECONDS_PER_DAY;
    values[0] = won;
    values[1] = lost;
    values[2] = winRatio;
    values[3] = wonAverage;
    values[4] = totals.histogram.quantileOrAbsent(0.5);
    values[5] = totals.histogram.quantileOrAbsent(0.9);
    // Absent while any factor is: NaN carries through the product; a zero cycle has no velocity.
    values[6] = cycleDays == 0 ? Double.NaN : totals.current * winRatio * wonAverage / cycleDays;
  }

  @Override
  public KpiSnapshot snapshot(String[] dimension, RollingWindow window, int series, double value, long asOf) {
    String pipeline = dimension[1];
    String team = dimension[3];
    String w = window.label();
    return switch (series) {
      case 0 -> Kpi.gaugeOrAbsent(CLOSED,
          Kpi.labels("pipeline", pipeline, "team", team, "window", w, "outcome", "won"), value, asOf);
      case 1 -> Kpi.gaugeOrAbsent(CLOSED,
          Kpi.labels("pipeline", pipeline, "team", team, "window", w, "outcome", "lost"), value, asOf);
      case 2 -> Kpi.gaugeOrAbsent(WIN_RATIO, Kpi.labels("pipeline", pipeline, "team", team, "window", w), value, asOf);
      case 3 -> Kpi.gaugeOrAbsent(WON_AVERAGE, Kpi.labels("pipeline", pipeline, "team", team, "window", w), value,
          asOf);
      case 4, 5 -> Kpi.gaugeOrAbsent(CYCLE, Kpi.labels("pipeline", pipeline, "team", team, "window", w,
          "quantile", series == 4 ? "0.5" : "0.9"), value, asOf);
      case 6 -> Kpi.gaugeOrAbsent(VELOCITY, Kpi.labels("pipeline", pipeline, "team", team, "window", w), value, asOf);
      default -> throw new IllegalArgumentException("no series " + series);
    };
  }
}
