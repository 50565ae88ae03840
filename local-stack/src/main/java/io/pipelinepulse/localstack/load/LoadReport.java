package io.pipelinepulse.localstack.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load did: lines read, changes sent, and every line that was rejected or not sent, grouped
 * by reason with the first line numbers of each, so a user can go and fix the file. Thread-safe:
 * send outcomes arrive on the producer's thread.
 */
public final class LoadReport {

  /** Line numbers listed per reason; the rest are counted. */
  static final int LINES_SHOWN = 5;
  private static final int DETAIL_MAX_CHARS = 240;

  /** Lines or changes that failed for one reason. */
  public static final class Group {
    private final String reason;
    private final List<Long> firstLines = new ArrayList<>();
    private final String firstDetail;
    private long count;

    private Group(String reason, String firstDetail) {
      this.reason = reason;
      this.firstDetail = firstDetail;
    }

    public String reason() {
      return reason;
    }

    public long count() {
      return count;
    }

    /** The first {@value LoadReport#LINES_SHOWN} line numbers, in file order. */
    public List<Long> firstLines() {
      return Collections.unmodifiableList(firstLines);
    }

    /** The full message of the first line with this reason. */
    public String firstDetail() {
      return firstDetail;
    }

    private void add(long line) {
      count++;
      if (firstLines.size() < LINES_SHOWN) {
        firstLines.add(line);
      }
    }
  }

  private final Map<String, Group> rejected = new LinkedHashMap<>();
  private final Map<String, Group> notSent = new LinkedHashMap<>();
  private long linesRead;
  private long linesSkipped;
  private long linesRejected;
  private long changesParsed;
  private long changesSent;
  private long changesNotSent;
  private String abortReason;

  synchronized void lineRead() {
    linesRead++;
  }

  synchronized void lineSkipped() {
    linesSkipped++;
  }

  synchronized void rejected(long line, String reason, String detail) {
    linesRejected++;
    rejected.computeIfAbsent(reason, r -> new Group(r, shorten(detail))).add(line);
  }

  synchronized void parsed() {
    changesParsed++;
  }

  synchronized void sent() {
    changesSent++;
  }

  synchronized void notSent(long line, String reason) {
    changesNotSent++;
    notSent.computeIfAbsent(reason, r -> new Group(r, r)).add(line);
  }

  /** The load ended before the end of the file. */
  synchronized void aborted(String reason) {
    if (abortReason == null) {
      abortReason = reason;
    }
  }

  public synchronized long linesRead() {
    return linesRead;
  }

  public synchronized long linesSkipped() {
    return linesSkipped;
  }

  public synchronized long linesRejected() {
    return linesRejected;
  }

  public synchronized long changesParsed() {
    return changesParsed;
  }

  public synchronized long changesSent() {
    return changesSent;
  }

  public synchronized long changesNotSent() {
    return changesNotSent;
  }

  public synchronized List<Group> rejectedGroups() {
    return List.copyOf(rejected.values());
  }

  public synchronized List<Group> notSentGroups() {
    return List.copyOf(notSent.values());
  }

  public synchronized String abortReason() {
    return abortReason;
  }

  /** 0 when every line was sent, 2 when lines were rejected, 1 when sending or reading failed. */
  public synchronized int exitCode() {
    if (abortReason != null || changesNotSent > 0 || changesSent < changesParsed) {
      return 1;
    }
    return linesRejected > 0 ? 2 : 0;
  }

  synchronized String progressLine() {
    return String.format(Locale.ROOT, "%,d lines read: %,d changes sent so far, %,d lines rejected",
        linesRead, changesSent, linesRejected);
  }

  /** The report printed at the end of a load. */
  public synchronized String render(String source, String format, String destination) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "loaded %s (%s) into %s: %s read, %s sent, %s rejected",
        source, format, destination, counted(linesRead, "line"), counted(changesSent, "change"),
        counted(linesRejected, "line")));
    if (changesNotSent > 0) {
      out.append(", ").append(counted(changesNotSent, "change")).append(" not sent");
    }
    out.append(System.lineSeparator());
    if (!rejected.isEmpty()) {
      out.append("rejected ").append(linesRejected).append(':').append(System.lineSeparator());
      rejected.values().forEach(group -> appendGroup(out, group, false));
    }
    if (!notSent.isEmpty()) {
      out.append("not sent ").append(changesNotSent).append(':').append(System.lineSeparator());
      notSent.values().forEach(group -> appendGroup(out, group, true));
    }
    if (abortReason != null) {
      out.append("stopped early: ").append(abortReason).append(System.lineSeparator());
    }
    return out.toString();
  }

  /**
   * One reason per line: "missing recordId: lines 4, 9", or for many "not JSON: 1,203 lines: 3, 5,
   * 8, 13, 21 and 1,198 more", followed by the first full message where it says more than the reason.
   */
  private static void appendGroup(StringBuilder out, Group group, boolean changes) {
    String one = changes ? "change from line" : "line";
    String many = changes ? "changes from lines" : "lines";
    out.append("  ").append(group.reason).append(": ");
    if (group.count > group.firstLines.size()) {
      out.append(String.format(Locale.ROOT, "%,d %s: ", group.count, changes ? "changes" : "lines"));
      out.append(joined(group.firstLines));
      out.append(String.format(Locale.ROOT, " and %,d more", group.count - group.firstLines.size()));
    } else {
      out.append(group.firstLines.size() == 1 ? one : many).append(' ').append(joined(group.firstLines));
    }
    if (!group.firstDetail.equals(group.reason)) {
      out.append(" (");
      if (group.count > 1) {
        out.append("line ").append(group.firstLines.get(0)).append(": ");
      }
      out.append(group.firstDetail).append(')');
    }
    out.append(System.lineSeparator());
  }

  private static String counted(long count, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", count, noun, count == 1 ? "" : "s");
  }

  private static String joined(List<Long> lines) {
    StringBuilder text = new StringBuilder();
    for (Long line : lines) {
      text.append(text.length() == 0 ? "" : ", ").append(line);
    }
    return text.toString();
  }

  private static String shorten(String detail) {
    String oneLine = detail.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= DETAIL_MAX_CHARS ? oneLine : oneLine.substring(0, DETAIL_MAX_CHARS) + "…";
  }
}
