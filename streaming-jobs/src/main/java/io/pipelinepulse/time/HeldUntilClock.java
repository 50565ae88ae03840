package io.pipelinepulse.time;

import java.util.List;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds a key's elements until the job's clock reaches their time, so they are applied in
 * commit-time order whatever order they arrived in. An event-time timer at each element's time
 * hands them back in {@code onTimer}.
 */
public interface HeldUntilClock<T> {

  /** Holds {@code element} and sets a timer at its time. */
  void add(T element, TimerService timers) throws Exception;

  /** The elements due at {@code time}, in order, removed from the buffer. */
  List<T> take(long time) throws Exception;

  /** Whether an element is held for {@code time} (its timer is then needed). */
  boolean contains(long time) throws Exception;

  boolean isEmpty() throws Exception;
}
