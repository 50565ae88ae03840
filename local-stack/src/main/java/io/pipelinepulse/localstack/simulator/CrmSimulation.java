package io.pipelinepulse.localstack.simulator;

import static io.pipelinepulse.localstack.simulator.SimContext.days;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A seeded discrete-event simulation of a sales organisation (four teams working leads and
 * opportunities) that produces the canonical change stream a CRM would. The same seed and start
 * give the same events, however the run is sliced into calls, so tests and benchmarks can rely on
 * it without Kafka.
 *
 * <pre>{@code
 * CrmSimulation sim = new CrmSimulation(42, start);
 * sim.runUntil(start + Duration.ofDays(30).toMillis(), events::add);
 * }</pre>
 *
 * <p>Events come out in commit-time order; each happening's events share its commit time. Not
 * thread-safe.
 */
public final class CrmSimulation {

  private final long seed;
  private final long startMillis;
  private final SimContext ctx;

  public CrmSimulation(long seed, long startMillis) {
    this.seed = seed;
    this.startMillis = startMillis;
    SimRandom random = new SimRandom(seed);
    RecordIds ids = new RecordIds(seed);
    Names names = new Names(random);
    SalesOrg org = SalesOrg.generate(random, ids, names);
    this.ctx = new SimContext(random, new EventScheduler(startMillis), new ChangeEmitter(seed), ids, names, org);

    // The user directory must exist before anything refers to its people.
    ctx.clock.at(startMillis, () -> announceUsers(names));
    DealDesk deals = new DealDesk(ctx);
    deals.openInitialBook(startMillis);
    new LeadDesk(ctx, deals).start(startMillis);
    planNextTransfer(startMillis);
  }

  public long seed() {
    return seed;
  }

  public long startMillis() {
    return startMillis;
  }

  /** How far the simulated organisation has got. */
  public long simulatedTime() {
    return ctx.clock.now();
  }

  /** When the next change is due at the earliest (the next happening may emit none). */
  public long nextEventTime() {
    return ctx.clock.nextTime();
  }

  /** Number of events emitted so far. */
  public long emitted() {
    return ctx.emitter.emitted();
  }

  /** Runs the simulation up to and including {@code untilMillis}; returns how many events it emitted. */
  public long runUntil(long untilMillis, Consumer<CrmChange> sink) {
    long before = emitted();
    ctx.emitter.sinkTo(sink);
    try {
      while (ctx.clock.runNext(untilMillis)) {
        // every happening emits straight into the sink
      }
    } finally {
      ctx.emitter.sinkTo(null);
    }
    return emitted() - before;
  }

  /**
   * Runs the next happening if it is due by {@code untilMillis} (it emits zero or more events);
   * returns false, with the clock moved to {@code untilMillis}, when none is due. For callers that
   * must stop or report between happenings.
   */
  public boolean step(long untilMillis, Consumer<CrmChange> sink) {
    ctx.emitter.sinkTo(sink);
    try {
      return ctx.clock.runNext(untilMillis);
    } finally {
      ctx.emitter.sinkTo(null);
    }
  }

  /** The events from the start up to {@code untilMillis}, as a list. */
  public List<CrmChange> history(long untilMillis) {
    List<CrmChange> events = new ArrayList<>();
    runUntil(untilMillis, events::add);
    return events;
  }

  private void announceUsers(Names names) {
    for (SalesUser user : ctx.org.users()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(CanonicalFields.NAME, user.name());
      fields.put(CanonicalFields.EMAIL, names.email(user.name()));
      fields.put(CanonicalFields.TEAM, user.team().name());
      if (!user.isManager()) {
        fields.put(CanonicalFields.MANAGER_ID, ctx.org.manager(user.team()).id());
      }
      fields.put(CanonicalFields.ACTIVE, Boolean.TRUE);
      ctx.emitter.create(user, ctx.now(), fields);
    }
  }

  /** Every few weeks a rep changes team, which the monitor must follow for team attribution. */
  private void planNextTransfer(long from) {
    long next = from + Math.round(ctx.random.exponential(days(20)));
    Team anyTeam = ctx.org.teams().get(0);
    ctx.clock.at(ctx.workTime(next, anyTeam.calendar()), () -> {
      transferRep();
      planNextTransfer(ctx.now());
    });
  }

  private void transferRep() {
    List<SalesUser> movable = new ArrayList<>();
    for (Team team : ctx.org.teams()) {
      List<SalesUser> reps = ctx.org.reps(team);
      if (reps.size() > 3) {
        movable.addAll(reps);
      }
    }
    if (movable.isEmpty()) {
      return;
    }
    SalesUser rep = ctx.random.pick(movable);
    List<Team> others = new ArrayList<>(ctx.org.teams());
    others.remove(rep.team());
    Team target = ctx.random.pick(others);
    rep.moveTo(target);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.TEAM, target.name());
    fields.put(CanonicalFields.MANAGER_ID, ctx.org.manager(target).id());
    ctx.emitter.update(rep, ctx.now(), fields);
  }
}
