package io.pipelinepulse.localstack.simulator;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The single source of chance in a simulation. Every draw goes through here, in the order the
 * simulation happens, so a seed fully determines the history. Distributions are computed from
 * uniform draws only, because library samplers (Gaussian, exponential) are free to change their
 * algorithm between JDK releases and the same seed must give the same history everywhere.
 */
final class SimRandom {

  private final SplittableRandom random;

  SimRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  double uniform() {
    return random.nextDouble();
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  double between(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Inclusive of both ends. */
  int between(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  long millisBetween(Duration low, Duration high) {
    return Math.round(between(low.toMillis(), high.toMillis()));
  }

  double exponential(double mean) {
    return -mean * Math.log(1.0 - random.nextDouble());
  }

  /** Box-Muller; draws two uniforms and keeps one result, trading speed for a stateless stream. */
  double gaussian() {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Right-skewed, like deal sizes and waiting times: most near the median, a long tail above it. */
  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * gaussian());
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  <T> T pickWeighted(List<T> items, ToDoubleFunction<? super T> weight) {
    double total = 0;
    for (T item : items) {
      total += weight.applyAsDouble(item);
    }
    double target = random.nextDouble() * total;
    for (T item : items) {
      target -= weight.applyAsDouble(item);
      if (target < 0) {
        return item;
      }
    }
    return items.get(items.size() - 1);
  }
}
