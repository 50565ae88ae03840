package io.pipelinepulse.facts;

/**
 * What a record's lifecycle established at a moment of event time, on its way to the
 * per-dimension aggregates. Each kind is its own type with its own fields. A fact of a moment
 * (an exit, a close, a first touch ...) carries its owner's team at that moment; current state
 * that follows its owner ({@link OwnerState}) gets the owner's team now, on the way.
 */
public sealed interface Fact
    permits StageExit, DealClosed, CloseDatePush, OwnerState, MissingFieldDelta, LeadTouched, LeadResolved,
        SlaBreach {

  /** The moment of event time the fact belongs to. */
  long time();

  /** The record's owner, null for a record without one. */
  String ownerId();

  /** The owner's team, null until it is known. */
  String team();

  /** The same fact with the owner's team. */
  Fact withTeam(String team);
}
