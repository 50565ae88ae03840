package io.pipelinepulse.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds a key's elements until the job's clock reaches their time, so they are applied in
 * event-time order whatever order they arrived in; an event-time timer at each element's time
 * hands them back. For keys that hold many moments at once (a dimension's changes): by time in a
 * map state, so taking one moment costs the same however many wait.
 */
public final class EventTimeBuffer<T> {

  private final MapState<Long, List<T>> pending;
  private final Comparator<T> order;
  private final ToLongFunction<T> timeOf;

  /**
   * @param timeOf the moment an element is due
   * @param order the order of elements due at one moment
   */
  public EventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type, ToLongFunction<T> timeOf,
      Comparator<T> order) {
    this.pending = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, new ListTypeInfo<>(type)));
    this.timeOf = timeOf;
    this.order = order;
  }

  /** Holds {@code element} and sets a timer at its time. */
  public void add(T element, TimerService timers) throws Exception {
    long time = timeOf.applyAsLong(element);
    List<T> atTime = pending.get(time);
    if (atTime == null) {
      atTime = new ArrayList<>(1);
    }
    atTime.add(element);
    pending.put(time, atTime);
    timers.registerEventTimeTimer(time);
  }

  /** The elements due at {@code time}, in order, removed from the buffer. */
  public List<T> take(long time) throws Exception {
    List<T> atTime = pending.get(time);
    if (atTime == null) {
      return List.of();
    }
    pending.remove(time);
    atTime.sort(order);
    return atTime;
  }
}
