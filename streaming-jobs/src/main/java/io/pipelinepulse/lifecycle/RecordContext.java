package io.pipelinepulse.lifecycle;

import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.OutputTag;

/** What a record's lifecycle sees of its operator while it applies a change or reacts to the clock. */
public interface RecordContext {

  /** The record's key. */
  String currentKey();

  /** The record's deadline timer: one event-time timer at a time. */
  TimerService timerService();

  <X> void output(OutputTag<X> tag, X value);

  /** The team of {@code ownerId} at {@code time}, which the clock has passed. */
  String teamAt(String ownerId, long time) throws Exception;
}
