package io.pipelinepulse.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;

/**
 * Holds a key's elements until the job's clock reaches their time, for keys that hold one or a few
 * elements at a time (a record's changes), kept as one short list scanned for the moment due: a
 * map by time cost such a key a table of sixteen slots and its resizing for each change. The
 * caller keeps track of when to come back ({@link #hold}). Keys that hold many moments at once (an
 * owner, a dimension) use {@link EventTimeBuffer}.
 */
public final class ShortEventTimeBuffer<T> {

  private final ValueState<List<T>> pending;
  private final Comparator<T> order;
  private final ToLongFunction<T> timeOf;

  /**
   * @param timeOf the moment an element is due
   * @param order the order of elements due at one moment
   */
  public ShortEventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type, ToLongFunction<T> timeOf,
      Comparator<T> order) {
    this.pending = context.getState(new ValueStateDescriptor<>(name, new ListTypeInfo<>(type)));
    this.timeOf = timeOf;
    this.order = order;
  }

  /**
   * Holds {@code element} until its time; true when the key held nothing for that time yet, so the
   * caller knows when to come back.
   */
  public boolean hold(T element) throws Exception {
    List<T> held = pending.value();
    long time = timeOf.applyAsLong(element);
    boolean first = true;
    if (held == null) {
      held = new ArrayList<>(2);
    } else {
      for (T other : held) {
        if (timeOf.applyAsLong(other) == time) {
          first = false;
          break;
        }
      }
    }
    held.add(element);
    pending.update(held);
    return first;
  }

  /** The distinct moments the key holds elements for. */
  public long[] times() throws Exception {
    List<T> held = pending.value();
    if (held == null) {
      return new long[0];
    }
    return held.stream().mapToLong(timeOf).distinct().toArray();
  }

  /** The elements due at {@code time}, in order, removed from the buffer. */
  public List<T> take(long time) throws Exception {
    List<T> held = pending.value();
    if (held == null) {
      return List.of();
    }
    List<T> due = new ArrayList<>(held.size());
    List<T> later = null;
    for (T element : held) {
      if (timeOf.applyAsLong(element) == time) {
        due.add(element);
      } else {
        if (later == null) {
          later = new ArrayList<>(held.size());
        }
        later.add(element);
      }
    }
    if (due.isEmpty()) {
      return List.of();
    }
    if (later == null) {
      pending.clear();
    } else {
      pending.update(later);
    }
    due.sort(order);
    return due;
  }
}
