package io.pipelinepulse.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds a key's elements until the job's clock reaches their event time, so they are applied in
 * commit-time order whatever order they arrived in. An event-time timer at each element's time
 * hands them back in {@code onTimer}.
 */
public final class EventTimeBuffer<T> {

  private final MapState<Long, List<T>> pending;
  private final Comparator<T> order;

  public EventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type, Comparator<T> order) {
    this.pending = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, new ListTypeInfo<>(type)));
    this.order = order;
  }

  public void add(long time, T element, TimerService timers) throws Exception {
    List<T> atTime = pending.get(time);
    if (atTime == null) {
      atTime = new ArrayList<>(1);
    }
    atTime.add(element);
    pending.put(time, atTime);
    timers.registerEventTimeTimer(time);
  }

  /** The elements buffered for {@code time}, in order, removed from the buffer. */
  public List<T> take(long time) throws Exception {
    List<T> atTime = pending.get(time);
    if (atTime == null) {
      return List.of();
    }
    pending.remove(time);
    atTime.sort(order);
    return atTime;
  }

  public boolean contains(long time) throws Exception {
    return pending.contains(time);
  }

  public boolean isEmpty() throws Exception {
    return pending.isEmpty();
  }
}
