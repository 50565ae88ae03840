package io.pipelinepulse.localstack.simulator;

import java.time.Duration;
import java.time.LocalDate;

/** What the parts of the simulation share: chance, the clock, the organisation and the output. */
final class SimContext {

  static final long MINUTE = Duration.ofMinutes(1).toMillis();
  static final long HOUR = Duration.ofHours(1).toMillis();
  static final long DAY = Duration.ofDays(1).toMillis();

  final SimRandom random;
  final EventScheduler clock;
  final ChangeEmitter emitter;
  final RecordIds ids;
  final Names names;
  final SalesOrg org;

  SimContext(SimRandom random, EventScheduler clock, ChangeEmitter emitter, RecordIds ids, Names names, SalesOrg org) {
    this.random = random;
    this.clock = clock;
    this.emitter = emitter;
    this.ids = ids;
    this.names = names;
    this.org = org;
  }

  long now() {
    return clock.now();
  }

  /**
   * When someone who intends to act at {@code time} actually does: right then within office hours,
   * else some minutes into the next working morning (nobody starts at 08:00:00 sharp).
   */
  long workTime(long time, WorkCalendar calendar) {
    long working = calendar.nextWorkingMoment(time);
    if (working == time) {
      return time;
    }
    return working + Math.min(3 * HOUR, Math.round(random.exponential(40 * MINUTE)));
  }

  long workTime(long time, SalesUser user) {
    return workTime(time, user.calendar());
  }

  LocalDate today(SalesUser user) {
    return user.calendar().date(now());
  }

  static long days(double days) {
    return Math.round(days * DAY);
  }

  static long hours(double hours) {
    return Math.round(hours * HOUR);
  }

  static long minutes(double minutes) {
    return Math.round(minutes * MINUTE);
  }
}
