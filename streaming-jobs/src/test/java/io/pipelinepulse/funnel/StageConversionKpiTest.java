package io.pipelinepulse.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pipelinepulse.facts.StageExit;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingAggregator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling stage conversion on the operator harness: exact counts at the minute boundaries, a
 * bucket leaving each window exactly one window-length after it closed, only changed values
 * published, and no state left once the 30-day window is empty.
 */
class StageConversionKpiTest {

  private static final long T = 1_767_607_200_000L; // 2026-01-05T10:00:00Z, a whole minute
  private static final long SECOND = 1_000L;
  private static final long MINUTE = 60_000L;
  private static final long DAY = 86_400_000L;

  private KeyedOneInputStreamOperatorTestHarness<String, Measurement, KpiSnapshot> harness;
  /** What a reader of every publication so far sees: "metric window" to value; absent ones missing. */
  private final Map<String, Double> shown = new TreeMap<>();

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new RollingAggregator(new StageConversionKpi())), Measurement::key, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void exit(long time, boolean advance) throws Exception {
    exit(time, "Qualification", advance);
  }

  private void exit(long time, String stage, boolean advance) throws Exception {
    harness.processElement(StageConversionKpi.measure(new StageExit(time, "u1", "East", "default", stage, advance)),
        time);
  }

  private List<KpiSnapshot> drain() {
    List<KpiSnapshot> out = List.copyOf(harness.extractOutputValues());
    harness.getOutput().clear();
    return out;
  }

  /** "metric window" to value (null for an absent ratio) of one publication. */
  private static Map<String, Double> values(List<KpiSnapshot> snapshots) {
    Map<String, Double> values = new TreeMap<>();
    for (KpiSnapshot s : snapshots) {
      values.put(s.getMetric() + " " + s.getLabels().get("window"), s.getValue());
    }
    return values;
  }

  /** Applies publications to what a reader sees and returns that. */
  private Map<String, Double> show(List<KpiSnapshot> snapshots) {
    values(snapshots).forEach((series, value) -> {
      if (value == null) {
        shown.remove(series);
      } else {
        shown.put(series, value);
      }
    });
    return new TreeMap<>(shown);
  }

  private static Map<String, Double> expected(
      long exits1d, long adv1d, long exits7d, long adv7d, long exits30d, long adv30d) {
    Map<String, Double> values = new TreeMap<>();
    put(values, "1d", exits1d, adv1d);
    put(values, "7d", exits7d, adv7d);
    put(values, "30d", exits30d, adv30d);
    return values;
  }

  private static void put(Map<String, Double> values, String window, long exits, long advances) {
    values.put(StageConversionKpi.EXITS + " " + window, (double) exits);
    values.put(StageConversionKpi.ADVANCES + " " + window, (double) advances);
    if (exits > 0) {
      values.put(StageConversionKpi.RATIO + " " + window, (double) advances / exits);
    }
  }

  /**
   * Advances the clock to {@code time}, checks that something was published, all at {@code time},
   * and returns what a reader of every publication sees then.
   */
  private Map<String, Double> at(long time) throws Exception {
    harness.processWatermark(time);
    List<KpiSnapshot> out = drain();
    assertThat(out).as("a publication of at most 3 windows x 3 series at +%d ms", time - T)
        .isNotEmpty().hasSizeLessThanOrEqualTo(9);
    assertThat(out).allSatisfy(s -> {
      assertThat(s.getAsOf()).isEqualTo(time);
      assertThat(s.getKind()).isEqualTo(MetricKind.GAUGE);
    });
    return show(out);
  }

  private void nothingUntil(long time) throws Exception {
    harness.processWatermark(time);
    assertThat(drain()).as("nothing published up to +%d ms", time - T).isEmpty();
  }

  @Test
  void exactCountsAtTheMinuteBoundaries() throws Exception {
    exit(T + 10 * SECOND, true);
    exit(T + 20 * SECOND, false);
    exit(T + 70 * SECOND, true);
    // two buckets, each meeting the clock 4 times (close, leave 1d, 7d, 30d): one timer, at the next
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    nothingUntil(T + MINUTE - 1);
    assertThat(at(T + MINUTE)).isEqualTo(expected(2, 1, 2, 1, 2, 1));
    nothingUntil(T + 2 * MINUTE - 1);
    assertThat(at(T + 2 * MINUTE)).isEqualTo(expected(3, 2, 3, 2, 3, 2));
  }

  @Test
  void labelsNameTheDimensionAndTheWindow() throws Exception {
    exit(T + SECOND, "Needs Analysis", true);
    harness.processWatermark(T + MINUTE);
    List<KpiSnapshot> out = drain();
    assertThat(out).hasSize(9);
    assertThat(out).extracting(KpiSnapshot::getLabels).allSatisfy(labels -> assertThat(labels)
        .containsOnlyKeys("pipeline", "stage", "team", "window")
        .contains(entry("pipeline", "default"), entry("stage", "Needs Analysis"), entry("team", "East")));
    assertThat(out).extracting(s -> s.getLabels().get("window")).containsOnly("1d", "7d", "30d");
  }

  @Test
  void bucketLeavesEachWindowExactlyOneWindowLengthLater() throws Exception {
    exit(T + 10 * SECOND, true);
    exit(T + 20 * SECOND, false);
    exit(T + 70 * SECOND, true);
    at(T + MINUTE);
    at(T + 2 * MINUTE);

    nothingUntil(T + DAY + MINUTE - 1);
    // bucket [T, T+1m) has left the 1d window [T+1m, T+1d+1m); bucket [T+1m, T+2m) is still in
    assertThat(at(T + DAY + MINUTE)).isEqualTo(expected(1, 1, 3, 2, 3, 2));
    nothingUntil(T + DAY + 2 * MINUTE - 1);
    // no exits in the 1d window: the ratio is absent, not 0 and not NaN
    assertThat(at(T + DAY + 2 * MINUTE)).isEqualTo(expected(0, 0, 3, 2, 3, 2));

    nothingUntil(T + 7 * DAY + MINUTE - 1);
    harness.processWatermark(T + 7 * DAY + MINUTE);
    List<KpiSnapshot> leaving7d = drain();
    assertThat(leaving7d).as("only the window the bucket left is published")
        .extracting(snapshot -> snapshot.getLabels().get("window")).containsOnly("7d");
    assertThat(show(leaving7d)).isEqualTo(expected(0, 0, 1, 1, 3, 2));
    assertThat(at(T + 7 * DAY + 2 * MINUTE)).isEqualTo(expected(0, 0, 0, 0, 3, 2));

    nothingUntil(T + 30 * DAY + MINUTE - 1);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    assertThat(at(T + 30 * DAY + MINUTE)).isEqualTo(expected(0, 0, 0, 0, 1, 1));
    assertThat(harness.numKeyedStateEntries()).isPositive();
    assertThat(at(T + 30 * DAY + 2 * MINUTE)).isEqualTo(expected(0, 0, 0, 0, 0, 0));

    assertThat(harness.numKeyedStateEntries()).as("keyed state after the 30d window emptied").isZero();
    assertThat(harness.numEventTimeTimers()).as("timers after the 30d window emptied").isZero();
    harness.processWatermark(T + 60 * DAY);
    assertThat(drain()).isEmpty();
  }

  @Test
  void absentRatioSnapshotHasNullValue() throws Exception {
    exit(T, true);
    harness.processWatermark(T + MINUTE);
    drain();
    harness.processWatermark(T + DAY + MINUTE);
    List<KpiSnapshot> out = drain();
    KpiSnapshot ratio1d = out.stream()
        .filter(s -> s.getMetric().equals(StageConversionKpi.RATIO) && s.getLabels().get("window").equals("1d"))
        .findFirst().orElseThrow();
    assertThat(ratio1d.getValue()).isNull();
    assertThat(out).as("the 7d and 30d windows did not change: nothing of theirs is published again")
        .extracting(s -> s.getLabels().get("window")).containsOnly("1d");
  }

  @Test
  void aValueThatDidNotChangeIsNotPublishedAgain() throws Exception {
    exit(T + SECOND, true);
    at(T + MINUTE);
    exit(T + MINUTE + SECOND, false);
    exit(T + MINUTE + 2 * SECOND, true);
    harness.processWatermark(T + 2 * MINUTE);
    // 2 exits, 1 advance more: exits and advances move in every window, the ratio (1/1 -> 2/3) too
    List<KpiSnapshot> moved = drain();
    assertThat(moved).hasSize(9);
    show(moved);
    exit(T + 2 * MINUTE + SECOND, false);
    exit(T + 2 * MINUTE + 2 * SECOND, true);
    exit(T + 2 * MINUTE + 3 * SECOND, true);
    harness.processWatermark(T + 3 * MINUTE);
    // 2/3 -> 4/6: the ratio stays, so only exits and advances are published
    List<KpiSnapshot> out = drain();
    assertThat(out).extracting(KpiSnapshot::getMetric).hasSize(6)
        .containsOnly(StageConversionKpi.EXITS, StageConversionKpi.ADVANCES);
    assertThat(show(out)).isEqualTo(expected(6, 4, 6, 4, 6, 4));
  }

  @Test
  void onlyDropsGiveARatioOfZeroNotAbsent() throws Exception {
    exit(T + SECOND, false);
    exit(T + 2 * SECOND, false);
    assertThat(at(T + MINUTE)).isEqualTo(expected(2, 0, 2, 0, 2, 0))
        .containsEntry(StageConversionKpi.RATIO + " 1d", 0.0);
  }

  @Test
  void exitAtTheMinuteBoundaryBelongsToTheNextBucket() throws Exception {
    exit(T + MINUTE - 1, true);
    exit(T + MINUTE, false);
    assertThat(at(T + MINUTE)).isEqualTo(expected(1, 1, 1, 1, 1, 1));
    assertThat(at(T + 2 * MINUTE)).isEqualTo(expected(2, 1, 2, 1, 2, 1));
  }

  @Test
  void exitsSpreadOverDaysEnterAndLeaveIndependently() throws Exception {
    exit(T + SECOND, true);
    exit(T + 2 * DAY + SECOND, false);
    at(T + MINUTE);
    // the second bucket's close: first bucket already left 1d
    harness.processWatermark(T + 2 * DAY + MINUTE);
    assertThat(show(drain())).isEqualTo(expected(1, 0, 2, 1, 2, 1));

    harness.processWatermark(T + 30 * DAY + MINUTE);
    assertThat(harness.numKeyedStateEntries()).as("second bucket still in the 30d window").isPositive();
    harness.processWatermark(T + 32 * DAY + MINUTE);
    assertThat(show(drain())).isEqualTo(expected(0, 0, 0, 0, 0, 0));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void keyComesBackCleanlyAfterItsStateWasDropped() throws Exception {
    exit(T, true);
    harness.processWatermark(T + 31 * DAY);
    drain();
    assertThat(harness.numKeyedStateEntries()).isZero();

    long later = T + 40 * DAY;
    exit(later, false);
    assertThat(at(later + MINUTE)).isEqualTo(expected(1, 0, 1, 0, 1, 0));
  }

  @Test
  void dimensionsAreSeparateKeys() throws Exception {
    exit(T + SECOND, "Qualification", true);
    exit(T + SECOND, "Prospecting", false);
    harness.processWatermark(T + MINUTE);
    List<KpiSnapshot> out = drain();
    assertThat(out).hasSize(18);
    Map<String, Double> qualification = values(out.stream()
        .filter(s -> s.getLabels().get("stage").equals("Qualification")).toList());
    Map<String, Double> prospecting = values(out.stream()
        .filter(s -> s.getLabels().get("stage").equals("Prospecting")).toList());
    assertThat(qualification).isEqualTo(expected(1, 1, 1, 1, 1, 1));
    assertThat(prospecting).isEqualTo(expected(1, 0, 1, 0, 1, 0));
  }
}
