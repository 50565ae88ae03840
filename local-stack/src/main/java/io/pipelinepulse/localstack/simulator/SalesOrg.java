package io.pipelinepulse.localstack.simulator;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The teams, their managers and reps, and how work is handed out among them. */
final class SalesOrg {

  static final String ENTERPRISE = "Enterprise";

  private final List<Team> teams;
  private final List<SalesUser> users = new ArrayList<>();
  private final Map<Team, SalesUser> managers = new LinkedHashMap<>();
  private final Map<Team, Integer> nextInRotation = new HashMap<>();

  private SalesOrg(List<Team> teams) {
    this.teams = List.copyOf(teams);
  }

  /**
   * The four teams differ on purpose: West answers leads slowly and loses more, Central is quick
   * and converts well, Enterprise runs long cycles on large deals that slip and stall more often.
   */
  static SalesOrg generate(SimRandom random, RecordIds ids, Names names) {
    SalesOrg org = new SalesOrg(List.of(
        new Team("East", ZoneId.of("America/New_York"), 1.0, 1.0, 1.0, 1.0, 0.50, 0.06, 15_000, 0.06),
        new Team("West", ZoneId.of("America/Los_Angeles"), 1.8, 0.85, 1.15, 0.9, 0.65, 0.10, 14_000, 0.06),
        new Team("Central", ZoneId.of("America/Chicago"), 0.7, 1.1, 0.9, 1.1, 0.40, 0.05, 12_000, 0.05),
        new Team(ENTERPRISE, ZoneId.of("America/New_York"), 1.2, 1.2, 0.85, 1.7, 0.70, 0.12, 90_000, 0.15)));
    for (Team team : org.teams) {
      String managerName = names.person();
      SalesUser manager = new SalesUser(ids.next(RecordIds.USER), managerName, team, true);
      org.users.add(manager);
      org.managers.put(team, manager);
      int reps = random.between(4, 6);
      for (int i = 0; i < reps; i++) {
        org.users.add(new SalesUser(ids.next(RecordIds.USER), names.person(), team, false));
      }
    }
    return org;
  }

  List<Team> teams() {
    return teams;
  }

  Team team(String name) {
    for (Team team : teams) {
      if (team.name().equals(name)) {
        return team;
      }
    }
    throw new IllegalArgumentException("no team " + name);
  }

  List<SalesUser> users() {
    return users;
  }

  SalesUser manager(Team team) {
    return managers.get(team);
  }

  List<SalesUser> reps(Team team) {
    List<SalesUser> reps = new ArrayList<>();
    for (SalesUser user : users) {
      if (!user.isManager() && user.team() == team) {
        reps.add(user);
      }
    }
    return reps;
  }

  List<SalesUser> allReps() {
    List<SalesUser> reps = new ArrayList<>();
    for (SalesUser user : users) {
      if (!user.isManager()) {
        reps.add(user);
      }
    }
    return reps;
  }

  /** Round-robin assignment, the usual lead-routing rule, so work spreads evenly within a team. */
  SalesUser nextRep(Team team) {
    List<SalesUser> reps = reps(team);
    int turn = nextInRotation.merge(team, 1, Integer::sum) - 1;
    return reps.get(Math.floorMod(turn, reps.size()));
  }
}
