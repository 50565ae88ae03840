package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.Entity;

/** A person in the sales organisation: a rep who owns leads and deals, or a team's manager. */
final class SalesUser extends SimRecord {

  private final String name;
  private final boolean manager;
  private Team team;

  SalesUser(String id, String name, Team team, boolean manager) {
    super(id, Entity.USER);
    this.name = name;
    this.team = team;
    this.manager = manager;
  }

  String name() {
    return name;
  }

  Team team() {
    return team;
  }

  void moveTo(Team team) {
    this.team = team;
  }

  boolean isManager() {
    return manager;
  }

  WorkCalendar calendar() {
    return team.calendar();
  }
}
