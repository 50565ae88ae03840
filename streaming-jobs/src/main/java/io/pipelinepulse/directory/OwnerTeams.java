package io.pipelinepulse.directory;

import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Every user's team changes, as broadcast state, for operators keyed by something else than the
 * owner that need an owner's team at a past moment: a change counts from its commit time on (the
 * last of one moment by sequence, then event id), a cleared team falls back to the configured
 * directory, then to {@link #UNKNOWN}; a record without owner is {@link #UNASSIGNED}.
 *
 * <p>Read at or after the clock passed the moment asked about, the answer is final: a user
 * change older than the clock would have been late and dropped upstream.
 */
public final class OwnerTeams {

  public static final String UNASSIGNED = "unassigned";
  public static final String UNKNOWN = "unknown";

  public static final MapStateDescriptor<String, Map<Long, String>> STATE = new MapStateDescriptor<>(
      "owner-team-changes", Types.STRING, Types.MAP(Types.LONG, Types.STRING));

  private static final String CLEARED = "";
  private static final String SEPARATOR = "\u0000";

  private OwnerTeams() {}

  /** Whether {@code change} sets a user's team (to a value or to none). */
  public static boolean setsTeam(CrmChange change) {
    return change.getEntity() == Entity.USER && change.getChangeType() != ChangeType.DELETE
        && change.getFields().containsKey(CanonicalFields.TEAM);
  }

  /**
   * How far behind the clock a team is still looked up: facts are labelled at their moment, after
   * the clock reached it, and subtasks' clocks differ by far less.
   */
  static final long LOOKBACK_MILLIS = java.time.Duration.ofDays(1).toMillis();

  /**
   * Remembers the team a user change sets, if it sets one, and forgets the owner's teams that
   * ended more than {@link #LOOKBACK_MILLIS} before {@code clock}: an owner's history stays as
   * short as their team changes near the clock, however long the job runs.
   */
  public static void record(BroadcastState<String, Map<Long, String>> state, CrmChange change, long clock)
      throws Exception {
    if (!setsTeam(change)) {
      return;
    }
    Object value = change.getFields().get(CanonicalFields.TEAM);
    String team = value == null || value.toString().isBlank() ? CLEARED : value.toString();
    Map<Long, String> history = state.get(change.getRecordId());
    Map<Long, String> updated = history == null ? new HashMap<>() : new HashMap<>(history);
    // Changes at one commit time apply in (sequence, event id) order: the last wins.
    String entry = change.getSequence() + SEPARATOR + change.getEventId() + SEPARATOR + team;
    updated.merge(change.getCommitTime(), entry, (old, candidate) -> later(old, candidate));
    if (clock > Long.MIN_VALUE + LOOKBACK_MILLIS) {
      pruneBefore(updated, clock - LOOKBACK_MILLIS);
    }
    state.put(change.getRecordId(), updated);
  }

  /** Drops the entries a later one at or before {@code time} replaced: a lookup from it on never reads them. */
  static void pruneBefore(Map<Long, String> history, long time) {
    long latestBefore = Long.MIN_VALUE;
    for (long from : history.keySet()) {
      if (from <= time && from > latestBefore) {
        latestBefore = from;
      }
    }
    long kept = latestBefore;
    history.keySet().removeIf(from -> from < kept);
  }

  private static String later(String a, String b) {
    String[] first = a.split(SEPARATOR, 3);
    String[] second = b.split(SEPARATOR, 3);
    int bySequence = Long.compare(Long.parseLong(first[0]), Long.parseLong(second[0]));
    return (bySequence != 0 ? bySequence : first[1].compareTo(second[1])) >= 0 ? a : b;
  }

  /**
   * Reads owners' teams from the broadcast state, each owner's history parsed once and kept until
   * a change of theirs arrives: a team is looked up for nearly every fact a lifecycle makes.
   */
  public static final class Reader {

    private final ReadOnlyBroadcastState<String, Map<Long, String>> state;
    private final UserDirectory directory;
    private final Map<String, NavigableMap<Long, String>> parsed = new HashMap<>();

    public Reader(ReadOnlyBroadcastState<String, Map<Long, String>> state, UserDirectory directory) {
      this.state = state;
      this.directory = directory;
    }

    /** Forgets what it parsed of {@code userId}, whose history just changed. */
    public void changed(String userId) {
      parsed.remove(userId);
    }

    /** The owner's team at {@code time}. */
    public String teamAt(String ownerId, long time) throws Exception {
      if (ownerId == null || ownerId.isEmpty()) {
        return UNASSIGNED;
      }
      NavigableMap<Long, String> history = parsed.get(ownerId);
      if (history == null) {
        history = parse(state.get(ownerId));
        parsed.put(ownerId, history);
      }
      Map.Entry<Long, String> latest = history.floorEntry(time);
      if (latest != null && !latest.getValue().equals(CLEARED)) {
        return latest.getValue();
      }
      String configured = directory.teamOf(ownerId);
      return configured == null ? UNKNOWN : configured;
    }

    private static NavigableMap<Long, String> parse(Map<Long, String> history) {
      NavigableMap<Long, String> teams = new TreeMap<>();
      if (history != null) {
        history.forEach((time, entry) -> teams.put(time, entry.split(SEPARATOR, 3)[2]));
      }
      return teams;
    }
  }
}
