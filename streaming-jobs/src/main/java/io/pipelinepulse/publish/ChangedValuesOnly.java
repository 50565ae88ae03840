package io.pipelinepulse.publish;

import io.pipelinepulse.schema.KpiSnapshot;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Keyed state of the value each series of the current key last published; passes a snapshot on
 * only when its value differs. An aggregator publishes all the series of a dimension when any one
 * of them moves, and most do not: in a backfill the repeats were most of the job's output.
 */
public final class ChangedValuesOnly {

  /** Stands for an absent value (a ratio without denominator): state values are never null. */
  private static final double ABSENT = Double.NaN;

  private final MapState<String, Double> published;

  public ChangedValuesOnly(RuntimeContext context) {
    published = context.getMapState(new MapStateDescriptor<>("published-values", Types.STRING, Types.DOUBLE));
  }

  /** A collector that passes to {@code out} the snapshots whose value changed, remembering them. */
  public Collector<KpiSnapshot> into(Collector<KpiSnapshot> out) {
    return new Collector<>() {
      @Override
      public void collect(KpiSnapshot snapshot) {
        try {
          String series = seriesWithinKey(snapshot);
          double value = snapshot.getValue() == null ? ABSENT : snapshot.getValue();
          Double last = published.get(series);
          // Never published and absent: nothing to say yet.
          boolean same = last == null ? Double.isNaN(value) : Double.compare(last, value) == 0;
          if (!same) {
            published.put(series, value);
            out.collect(snapshot);
          }
        } catch (Exception e) {
          throw new IllegalStateException("cannot read the published values of " + snapshot.getMetric(), e);
        }
      }

      @Override
      public void close() {
        out.close();
      }
    };
  }

  /**
   * The series among those of one key: its metric and label values. Publishers build a metric's
   * labels in one order, so the values alone tell its series apart, without sorting the names.
   */
  static String seriesWithinKey(KpiSnapshot snapshot) {
    StringBuilder series = new StringBuilder(48).append(snapshot.getMetric());
    for (String value : snapshot.getLabels().values()) {
      series.append('\u0000').append(value);
    }
    return series.toString();
  }

  /** Forgets the current key's values: its series start afresh. */
  public void clear() {
    published.clear();
  }
}
