package io.pipelinepulse.leads;

import java.util.Arrays;

/**
 * The leads of one (team, lead source) awaiting a first touch: how many were created at each
 * moment, in time order, with their total. The oldest wait and the count come without a scan.
 */
public class AwaitingLeads {

  public String team;
  public String leadSource;
  /** Creation moments in ascending order at [0, size), with how many awaiting leads each has. */
  public long[] createdAt = new long[4];
  public long[] counts = new long[4];
  public int size;
  public long total;

  public AwaitingLeads() {}

  AwaitingLeads(String team, String leadSource) {
    this.team = team;
    this.leadSource = leadSource;
  }

  /** Adds {@code delta} leads created at {@code created}. */
  void add(long created, long delta) {
    total += delta;
    int at = Arrays.binarySearch(createdAt, 0, size, created);
    if (at >= 0) {
      counts[at] += delta;
      if (counts[at] == 0) {
        System.arraycopy(createdAt, at + 1, createdAt, at, size - at - 1);
        System.arraycopy(counts, at + 1, counts, at, size - at - 1);
        size--;
      }
      return;
    }
    if (delta == 0) {
      return;
    }
    int insert = -at - 1;
    if (size == createdAt.length) {
      createdAt = Arrays.copyOf(createdAt, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    System.arraycopy(createdAt, insert, createdAt, insert + 1, size - insert);
    System.arraycopy(counts, insert, counts, insert + 1, size - insert);
    createdAt[insert] = created;
    counts[insert] = delta;
    size++;
  }

  /** When the oldest awaiting lead was created; meaningless when none awaits. */
  long oldest() {
    return createdAt[0];
  }
}
