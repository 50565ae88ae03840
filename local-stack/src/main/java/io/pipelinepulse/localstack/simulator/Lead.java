package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.Entity;

/** A lead being worked; {@link #isOpen()} stops its pending follow-ups once it is resolved or deleted. */
final class Lead extends SimRecord {

  private final LeadSource source;
  private final SalesUser owner;
  private final String company;
  private boolean resolved;

  Lead(String id, LeadSource source, SalesUser owner, String company) {
    super(id, Entity.LEAD);
    this.source = source;
    this.owner = owner;
    this.company = company;
  }

  LeadSource source() {
    return source;
  }

  SalesUser owner() {
    return owner;
  }

  String company() {
    return company;
  }

  boolean isOpen() {
    return !resolved && !isDeleted();
  }

  void markResolved() {
    resolved = true;
  }
}
