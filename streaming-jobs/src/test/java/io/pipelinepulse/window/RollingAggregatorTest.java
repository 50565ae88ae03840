package io.pipelinepulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.deals.ClosedDealsKpi;
import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.schema.KpiSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rolling aggregator with the win-rate KPI: exact windows, velocity, and no state left behind. */
class RollingAggregatorTest {

  private static final long T = 1_700_000_040_000L - 1_700_000_040_000L % 60_000L;
  private static final long MINUTE = 60_000L;
  private static final long DAY = Duration.ofDays(1).toMillis();

  private KeyedOneInputStreamOperatorTestHarness<String, Measurement, KpiSnapshot> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new RollingAggregator(new ClosedDealsKpi())), Measurement::key, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void send(Fact fact) throws Exception {
    Fact labelled = fact.withTeam("East");
    harness.processElement(labelled instanceof DealClosed closed ? ClosedDealsKpi.measure(closed)
        : ClosedDealsKpi.measureOpen((OpenDealDelta) labelled), fact.time());
  }

  private static OpenDealDelta openDelta(long time, long count) {
    return new OpenDealDelta(OpenDealDelta.State.OPEN, time, "u1", null, "default", "Prospecting", count, 0, 0);
  }

  private static DealClosed closed(long time, boolean won, double amount, long cycleMillis) {
    return new DealClosed(time, "u1", null, "default", won, amount, cycleMillis);
  }

  private Map<String, Double> latest() {
    Map<String, Double> values = new TreeMap<>();
    for (KpiSnapshot kpi : harness.extractOutputValues()) {
      values.put(kpi.getMetric() + new TreeMap<>(kpi.getLabels()), kpi.getValue());
    }
    return values;
  }

  @Test
  void winRateCycleAverageAndVelocityOverTheWindowsThenNothingLeft() throws Exception {
    send(openDelta(T, 3));
    send(closed(T + 5_000, true, 1000.0, 2 * DAY));
    send(closed(T + 6_000, true, Double.NaN, 4 * DAY));
    send(closed(T + 7_000, false, 50.0, DAY));
    send(openDelta(T + 7_000, -1));
    harness.processWatermark(T + MINUTE);

    Map<String, Double> values = latest();
    String w1 = "pipeline=default, team=East, window=1d";
    assertThat(values.get("pulse_deals_closed{outcome=won, " + w1 + "}")).isEqualTo(2.0);
    assertThat(values.get("pulse_deals_closed{outcome=lost, " + w1 + "}")).isEqualTo(1.0);
    assertThat(values.get("pulse_win_ratio{" + w1 + "}")).isEqualTo(2.0 / 3);
    assertThat(values.get("pulse_won_amount_average{" + w1 + "}")).isEqualTo(1000.0);
    // 2 open now x 2/3 won x 1000 average / 3 days average cycle
    assertThat(values.get("pulse_sales_velocity_per_day{" + w1 + "}")).isCloseTo(2 * (2.0 / 3) * 1000 / 3,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(values.get("pulse_sales_cycle_seconds{pipeline=default, quantile=0.9, team=East, window=1d}"))
        .isCloseTo(4 * 86_400.0, org.assertj.core.data.Percentage.withPercentage(1));

    harness.getOutput().clear();
    harness.processWatermark(T + MINUTE + DAY);
    values = latest();
    assertThat(values).as("the 1d ratio is published as absent").containsEntry("pulse_win_ratio{" + w1 + "}", null);
    assertThat(values).as("the 7d window did not change: its 2/3 is not published again")
        .doesNotContainKey("pulse_win_ratio{pipeline=default, team=East, window=7d}");

    send(openDelta(T + 2 * DAY, -2));
    harness.processWatermark(T + 40 * DAY);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void openDealsAloneKeepTheirCountWithoutTimers() throws Exception {
    send(openDelta(T, 1));
    harness.processWatermark(T + 31 * DAY + MINUTE);
    List<KpiSnapshot> out = harness.extractOutputValues();
    assertThat(out).isNotEmpty();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numKeyedStateEntries()).isPositive();
  }

  @Test
  void manyBucketsArrivingOutOfOrderMatchACountOverEachWindowWithOneTimerPerKey() throws Exception {
    // closes spread over 40 days, sent in a scrambled order that stays ahead of the clock
    long[] times = new long[400];
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < times.length; i++) {
      times[i] = T + (long) (random.nextDouble() * 40 * DAY);
    }
    long[] sorted = times.clone();
    java.util.Arrays.sort(sorted);
    List<Long> pending = new java.util.ArrayList<>();
    for (long time : times) {
      pending.add(time);
    }
    java.util.Collections.shuffle(pending, random);
    long clock = T - 1;
    while (!pending.isEmpty()) {
      for (int i = 0; i < 20 && !pending.isEmpty(); i++) {
        long time = pending.remove(pending.size() - 1);
        if (time > clock) {
          send(closed(time, true, 10.0, DAY));
        } else {
          // behind the clock: the lifecycle would not have emitted it, so the expectation drops it too
          for (int j = 0; j < sorted.length; j++) {
            if (sorted[j] == time) {
              sorted[j] = Long.MIN_VALUE;
              break;
            }
          }
        }
      }
      clock += DAY / 2;
      harness.processWatermark(clock);
      assertThat(harness.numEventTimeTimers()).isLessThanOrEqualTo(1);
    }
    harness.processWatermark(T + 120 * DAY);
    assertThat(harness.numKeyedStateEntries()).as("every bucket left every window").isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    Map<String, Double> published = new TreeMap<>();
    List<KpiSnapshot> all = harness.extractOutputValues();
    for (long check = T + MINUTE; check < T + 80 * DAY; check += 7 * DAY / 3 + 13 * MINUTE) {
      long at = check - check % MINUTE;
      for (RollingWindowCase window : RollingWindowCase.values()) {
        long expected = 0;
        for (long time : sorted) {
          if (time != Long.MIN_VALUE && time >= at - window.millis && time < at) {
            expected++;
          }
        }
        Double value = null;
        for (KpiSnapshot kpi : all) {
          if (kpi.getAsOf() <= at && kpi.getMetric().equals("pulse_deals_closed")
              && "won".equals(kpi.getLabels().get("outcome")) && window.label.equals(kpi.getLabels().get("window"))) {
            value = kpi.getValue();
          }
        }
        published.put(window.label + "@" + (at - T) / MINUTE, value == null ? 0.0 : value);
        assertThat(value == null ? 0.0 : value).as(window.label + " at minute " + (at - T) / MINUTE)
            .isEqualTo((double) expected);
      }
    }
    assertThat(published.values()).as("the check saw closes").anyMatch(v -> v > 0);
  }

  @Test
  void aMeasurementBehindTheClockIsDroppedAndLaterWindowsStayExact() throws Exception {
    send(closed(T + 5_000, true, 10.0, DAY));
    harness.processWatermark(T + 2 * MINUTE);
    // a bucket the clock has passed, one that exists and one that does not
    send(closed(T + 6_000, true, 10.0, DAY));
    send(closed(T + MINUTE + 1_000, true, 10.0, DAY));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.getOutput().clear();

    harness.processWatermark(T + MINUTE + DAY);
    Map<String, Double> values = latest();
    assertThat(values).containsEntry("pulse_deals_closed{outcome=won, pipeline=default, team=East, window=1d}", 0.0);
    harness.processWatermark(T + 40 * DAY);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private enum RollingWindowCase {
    D1("1d", DAY), D7("7d", 7 * DAY), D30("30d", 30 * DAY);

    final String label;
    final long millis;

    RollingWindowCase(String label, long millis) {
      this.label = label;
      this.millis = millis;
    }
  }
}
