package io.pipelinepulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogHistogramTest {

  @Test
  void quantilesAreWithinTheStatedRelativeErrorOfTheExactValueOfTheSameRank() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      LogHistogram histogram = new LogHistogram();
      List<Double> values = new ArrayList<>();
      int n = 1 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        // seconds from under one to months, and some zeros
        double value = random.nextInt(20) == 0 ? 0.0 : Math.exp(random.nextDouble() * 16 - 1);
        values.add(value);
        histogram.add(value);
      }
      Collections.sort(values);
      for (double q : new double[] {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) {
        double exact = values.get((int) Math.max(1, Math.ceil(q * n)) - 1);
        assertThat(histogram.quantile(q)).as("q=%s of %s", q, values)
            .isBetween(exact * (1 - LogHistogram.RELATIVE_ACCURACY) - 1e-12,
                exact * (1 + LogHistogram.RELATIVE_ACCURACY) + 1e-12);
      }
    }
  }

  @Test
  void takingAwayWhatWasAddedLeavesAnEmptyHistogram() {
    LogHistogram window = new LogHistogram();
    LogHistogram bucket = new LogHistogram();
    bucket.add(5.0);
    bucket.add(0.0);
    bucket.add(86_400.0);
    window.add(42.0);
    window.addAll(bucket, 1);
    assertThat(window.total).isEqualTo(4);
    window.addAll(bucket, -1);
    assertThat(window.total).isEqualTo(1);
    assertThat(window.indexes).hasSize(1);
    assertThat(window.quantile(0.5)).isCloseTo(42.0, org.assertj.core.data.Percentage.withPercentage(1));
    window.addCount(42.0, -1);
    assertThat(window.quantile(0.5)).isNull();
    assertThat(window.indexes).isEmpty();
    assertThat(window.zeroCount).isZero();
  }
}
