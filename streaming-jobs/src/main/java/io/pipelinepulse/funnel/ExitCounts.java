package io.pipelinepulse.funnel;

/** Stage exits and how many of them were advances. */
public class ExitCounts {

  public long exits;
  public long advances;

  public ExitCounts() {}

  public void add(long exitDelta, long advanceDelta) {
    exits += exitDelta;
    advances += advanceDelta;
  }
}
