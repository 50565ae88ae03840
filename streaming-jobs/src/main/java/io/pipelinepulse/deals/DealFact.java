package io.pipelinepulse.deals;

/**
 * Something that happened to a deal at a moment of event time, on its way to the per-dimension
 * aggregates: an exit from a stage, or a change of the open pipeline. Carries the owner until
 * the team is resolved for that moment.
 */
public class DealFact {

  public enum Kind {
    STAGE_EXIT,
    CLOSED,
    CLOSE_DATE_PUSH,
    /** Current-state changes: open, stalled, past due, open with a field missing ({@link #stage} names it). */
    OPEN_DELTA,
    STALLED_DELTA,
    PAST_DUE_DELTA,
    MISSING_DELTA,
    /** Leads ({@link #stage} holds the lead source): first touch, resolution, SLA breach, awaiting. */
    LEAD_TOUCHED,
    LEAD_RESOLVED,
    LEAD_BREACH,
    AWAITING_DELTA;

    /** Current state whose team is the owner's team now: moves with the owner. */
    public boolean followsOwnerTeam() {
      return this == OPEN_DELTA || this == STALLED_DELTA || this == PAST_DUE_DELTA || this == AWAITING_DELTA;
    }
  }

  public Kind kind;
  public long time;
  public String pipeline;
  public String stage;
  public String ownerId;
  /** Filled by the team resolver: the owner's team at {@link #time}. */
  public String team;

  /** STAGE_EXIT: the exit went to a later stage or to won. */
  public boolean advance;

  /** OPEN_DELTA: change of open deal count, amount and weighted amount (reporting currency). */
  public long countDelta;
  public double amountDelta;
  public double weightedDelta;

  /** CLOSED: won (else lost), the amount in the reporting currency (NaN when the deal has none), and
   * the time from the deal's creation to its close. */
  public boolean won;
  public double closedAmount;
  public long cycleMillis;
  /** AWAITING_DELTA: when the awaiting lead was created. */
  public long createdAt;

  public DealFact() {}

  public static DealFact closed(long time, String pipeline, String stage, String ownerId, boolean won,
      double amount, long cycleMillis) {
    DealFact fact = new DealFact();
    fact.kind = Kind.CLOSED;
    fact.time = time;
    fact.pipeline = pipeline;
    fact.stage = stage;
    fact.ownerId = ownerId;
    fact.won = won;
    fact.closedAmount = amount;
    fact.cycleMillis = cycleMillis;
    return fact;
  }

  public static DealFact stageExit(long time, String pipeline, String stage, String ownerId, boolean advance) {
    DealFact fact = new DealFact();
    fact.kind = Kind.STAGE_EXIT;
    fact.time = time;
    fact.pipeline = pipeline;
    fact.stage = stage;
    fact.ownerId = ownerId;
    fact.advance = advance;
    return fact;
  }

  public static DealFact openDelta(
      long time, String pipeline, String stage, String ownerId, long count, double amount, double weighted) {
    return delta(Kind.OPEN_DELTA, time, pipeline, stage, ownerId, count, amount, weighted);
  }

  /** A change of one of the current-state kinds. */
  public static DealFact delta(Kind kind,
      long time, String pipeline, String stage, String ownerId, long count, double amount, double weighted) {
    DealFact fact = new DealFact();
    fact.kind = kind;
    fact.time = time;
    fact.pipeline = pipeline;
    fact.stage = stage;
    fact.ownerId = ownerId;
    fact.countDelta = count;
    fact.amountDelta = amount;
    fact.weightedDelta = weighted;
    return fact;
  }

  public DealFact withTeam(String resolvedTeam) {
    DealFact copy = new DealFact();
    copy.kind = kind;
    copy.time = time;
    copy.pipeline = pipeline;
    copy.stage = stage;
    copy.ownerId = ownerId;
    copy.team = resolvedTeam;
    copy.advance = advance;
    copy.countDelta = countDelta;
    copy.amountDelta = amountDelta;
    copy.weightedDelta = weightedDelta;
    copy.won = won;
    copy.closedAmount = closedAmount;
    copy.cycleMillis = cycleMillis;
    copy.createdAt = createdAt;
    return copy;
  }

  /** Key of the per-dimension aggregate this fact belongs to. */
  public String dimensionKey() {
    return kind.name() + '\u0000' + pipeline + '\u0000' + stage + '\u0000' + team;
  }

  /** The same change with the opposite sign. */
  public DealFact negated() {
    DealFact copy = withTeam(team);
    copy.countDelta = -countDelta;
    copy.amountDelta = -amountDelta;
    copy.weightedDelta = -weightedDelta;
    return copy;
  }

  /** Same kind, dimension, owner and amounts (time aside). */
  public boolean sameContribution(DealFact other) {
    return other != null && kind == other.kind && java.util.Objects.equals(pipeline, other.pipeline)
        && java.util.Objects.equals(stage, other.stage) && java.util.Objects.equals(ownerId, other.ownerId)
        && countDelta == other.countDelta && amountDelta == other.amountDelta && weightedDelta == other.weightedDelta
        && createdAt == other.createdAt;
  }

  /** Key of the owner, the empty text for a record without owner. */
  public String ownerKey() {
    return ownerId == null ? "" : ownerId;
  }
}
