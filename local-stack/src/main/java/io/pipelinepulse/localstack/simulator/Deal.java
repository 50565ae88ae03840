package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.Entity;
import java.time.LocalDate;

/**
 * An opportunity and the state of the processes driving it. The tokens let a process that was
 * scheduled earlier notice it has been superseded (stage changed, deal deleted, date re-planned)
 * without having to remove it from the schedule.
 */
final class Deal extends SimRecord {

  private final LeadSource source;
  private SalesUser owner;
  private OpportunityStage stage;
  private Double amountUsd;
  private LocalDate closeDate;
  private long stalledUntil;
  private boolean handedOver;
  int stageToken;
  int activityToken;
  int reviewToken;

  Deal(String id, SalesUser owner, LeadSource source) {
    super(id, Entity.OPPORTUNITY);
    this.owner = owner;
    this.source = source;
  }

  LeadSource source() {
    return source;
  }

  SalesUser owner() {
    return owner;
  }

  void owner(SalesUser owner) {
    this.owner = owner;
  }

  Team team() {
    return owner.team();
  }

  OpportunityStage stage() {
    return stage;
  }

  void stage(OpportunityStage stage) {
    this.stage = stage;
  }

  /** Null while the deal has no amount (a data-quality gap). */
  Double amountUsd() {
    return amountUsd;
  }

  void amountUsd(Double amountUsd) {
    this.amountUsd = amountUsd;
  }

  /** Null while the deal has no close date (a data-quality gap). */
  LocalDate closeDate() {
    return closeDate;
  }

  void closeDate(LocalDate closeDate) {
    this.closeDate = closeDate;
  }

  long stalledUntil() {
    return stalledUntil;
  }

  void stalledUntil(long stalledUntil) {
    this.stalledUntil = stalledUntil;
  }

  boolean isStalledAt(long time) {
    return time < stalledUntil;
  }

  boolean handedOver() {
    return handedOver;
  }

  void markHandedOver() {
    handedOver = true;
  }

  boolean isOpen() {
    return !stage.isClosed() && !isDeleted();
  }

  /** Stops every pending process of the deal; used when it closes or is deleted. */
  void supersedeAll() {
    stageToken++;
    activityToken++;
    reviewToken++;
  }
}
