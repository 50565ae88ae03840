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
import org.apache.flink.streaming.api.TimerService;

/**
 * A {@link HeldUntilClock} for keys that hold one or a few elements at a time (a record's changes),
 * kept as one short list scanned for the moment due: a map by time cost such a key a table of
 * sixteen slots and its resizing for each change. Keys that hold many moments at once (an owner,
 * a dimension) use {@link EventTimeBuffer}.
 */
public final class ShortEventTimeBuffer<T> implements HeldUntilClock<T> {

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

  @Override
  public void add(T element, TimerService timers) throws Exception {
    List<T> held = pending.value();
    if (held == null) {
      held = new ArrayList<>(2);
    }
    held.add(element);
    pending.update(held);
    timers.registerEventTimeTimer(timeOf.applyAsLong(element));
  }

  @Override
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

  @Override
  public boolean contains(long time) throws Exception {
    List<T> held = pending.value();
    if (held != null) {
      for (T element : held) {
        if (timeOf.applyAsLong(element) == time) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public boolean isEmpty() throws Exception {
    return pending.value() == null;
  }
}
