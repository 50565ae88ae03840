package io.pipelinepulse.reference;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a random but reproducible CRM history with everything the KPIs must survive: changes
 * out of order within the clock's bound, duplicates (some beyond the bound), unreadable records,
 * late changes, deletes and undeletes, owners moving between teams, stages skipped and regressed,
 * mixed currencies, deals without owner or amount, several changes of one deal in one millisecond.
 */
public final class HistoryGenerator {

  static final List<String> DEFAULT_STAGES = List.of("Prospecting", "Qualification", "Needs Analysis",
      "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
      "Negotiation/Review");
  static final List<String> RENEWAL_STAGES = List.of("Renewal Due", "Renewal Quoted", "Renewal Signed");
  static final List<String> TEAMS = List.of("East", "West", "Central");
  /** Users 1-3 are only in the configured directory, 4-8 only in the change stream. */
  static final int USERS = 8;
  static final int DIRECTORY_USERS = 3;

  private static final long MINUTE = 60_000L;
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final Random random;
  private final long boundMillis;
  private final List<CrmChange> changes = new ArrayList<>();
  private long eventCounter;
  private long activities;

  public HistoryGenerator(long seed, long boundMillis) {
    this.random = new Random(seed);
    this.boundMillis = boundMillis;
  }

  /** The configuration the generated history expects (directory users, a second pipeline). */
  public static String configYaml() {
    return configYaml(true);
  }

  /** The configuration of generated histories, optionally without East's business hours. */
  public static String configYaml(boolean businessHours) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("pipelines:\n")
        .append("  default:\n    stages: [").append(String.join(", ", DEFAULT_STAGES))
        .append("]\n    won: Closed Won\n    lost: Closed Lost\n")
        .append("  renewals:\n    stages: [").append(String.join(", ", RENEWAL_STAGES))
        .append("]\n    won: Renewed\n    lost: Churned\n")
        .append("deals:\n  stalled-after: 5d\n  stalled-after-by-stage:\n    renewals:\n      Renewal Quoted: 2d\n")
        .append("leads:\n  response-sla-by-source:\n    Web: 30m\n")
        .append(businessHours
            // East works New York office hours: its SLAs pause over nights and weekends.
            ? "  business-hours:\n    East: {zone: America/New_York, days: [MON, TUE, WED, THU, FRI], "
                + "from: \"09:00\", to: \"17:00\"}\n"
            : "")
        .append("directory:\n  users:\n");
    for (int u = 1; u <= DIRECTORY_USERS; u++) {
      yaml.append("    - id: u").append(u).append("\n      team: ").append(TEAMS.get(u % TEAMS.size())).append('\n');
    }
    return yaml.toString();
  }

  static final List<String> LEAD_SOURCES = List.of("Web", "Partner Referral", "Trade Show");

  /** A history of {@code deals} opportunities and as many leads from {@code start} over {@code days} days. */
  public GeneratedHistory generate(long start, int days, int deals) {
    long end = start + days * DAY;
    for (int u = DIRECTORY_USERS + 1; u <= USERS; u++) {
      add(Entity.USER, "u" + u, ChangeType.CREATE, start - MINUTE * u, 0,
          CanonicalFields.TEAM, TEAMS.get(random.nextInt(TEAMS.size())), CanonicalFields.NAME, "User " + u);
    }
    for (int move = 0; move < 4; move++) {
      int user = 1 + random.nextInt(USERS);
      add(Entity.USER, "u" + user, ChangeType.UPDATE, start + (long) (random.nextDouble() * (end - start)), 0,
          CanonicalFields.TEAM, TEAMS.get(random.nextInt(TEAMS.size())));
    }
    for (int d = 0; d < deals; d++) {
      generateDeal("D" + d, start, end);
    }
    for (int l = 0; l < deals; l++) {
      generateLead("L" + l, start, end);
    }
    changes.sort(Comparator.comparingLong(CrmChange::getCommitTime));
    return deliver(end);
  }

  private void generateDeal(String id, long start, long end) {
    boolean renewal = random.nextInt(5) == 0;
    List<String> stages = renewal ? RENEWAL_STAGES : DEFAULT_STAGES;
    String won = renewal ? "Renewed" : "Closed Won";
    String lost = renewal ? "Churned" : "Closed Lost";
    long time = start + (long) (random.nextDouble() * (end - start - DAY));
    int stage = random.nextInt(Math.min(3, stages.size()));
    List<Object> created = new ArrayList<>(List.of(CanonicalFields.STAGE, stages.get(stage)));
    if (renewal) {
      created.addAll(List.of(CanonicalFields.PIPELINE, "renewals"));
    }
    if (random.nextInt(10) > 0) {
      created.addAll(List.of(CanonicalFields.AMOUNT, (double) (100 + random.nextInt(100_000))));
    }
    int currency = random.nextInt(6);
    if (currency == 1) {
      created.addAll(List.of(CanonicalFields.CURRENCY, "EUR"));
    } else if (currency == 2) {
      created.addAll(List.of(CanonicalFields.CURRENCY, "GBP"));
    }
    if (random.nextBoolean()) {
      created.addAll(List.of(CanonicalFields.PROBABILITY, (double) (10 * (1 + random.nextInt(9)))));
    }
    if (random.nextInt(12) > 0) {
      created.addAll(List.of(CanonicalFields.OWNER_ID, owner()));
    }
    long closeDay = Math.floorDiv(time, DAY) + random.nextInt(65) - 5;
    if (random.nextInt(10) < 7) {
      created.addAll(List.of(CanonicalFields.CLOSE_DATE, java.time.LocalDate.ofEpochDay(closeDay).toString()));
    }
    add(Entity.OPPORTUNITY, id, ChangeType.CREATE, time, 0, created.toArray());
    boolean deleted = false;
    int steps = 1 + random.nextInt(9);
    for (int step = 0; step < steps && time < end; step++) {
      time += gap();
      if (time >= end) {
        break;
      }
      long sequence = 0;
      if (random.nextInt(15) == 0) {
        // two changes of this deal in the same millisecond: only the sequence orders them
        int next = Math.min(stages.size() - 1, stage + 1);
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, 1, CanonicalFields.STAGE, stages.get(next));
        stage = next;
        sequence = 2;
      }
      int action = random.nextInt(100);
      if (deleted) {
        add(Entity.OPPORTUNITY, id, ChangeType.UNDELETE, time, sequence);
        deleted = false;
      } else if (action < 40) {
        int jump = random.nextInt(10) < 7 ? 1 : (random.nextBoolean() ? 2 : -1);
        stage = Math.max(0, Math.min(stages.size() - 1, stage + jump));
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence, CanonicalFields.STAGE, stages.get(stage),
            CanonicalFields.PROBABILITY, (double) Math.min(90, 10 + 10 * stage));
      } else if (action < 50) {
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence,
            CanonicalFields.AMOUNT, random.nextInt(8) == 0 ? null : (double) (100 + random.nextInt(50_000)));
      } else if (action < 60) {
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence, CanonicalFields.OWNER_ID,
            random.nextInt(10) == 0 ? null : owner());
      } else if (action < 70) {
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence, CanonicalFields.STAGE, won);
        return;
      } else if (action < 78) {
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence, CanonicalFields.STAGE, lost);
        return;
      } else if (action < 81) {
        closeDay += random.nextInt(4) == 0 ? -random.nextInt(10) : 1 + random.nextInt(30);
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence, CanonicalFields.CLOSE_DATE,
            random.nextInt(12) == 0 ? null : java.time.LocalDate.ofEpochDay(closeDay).toString());
      } else if (action < 85) {
        add(Entity.OPPORTUNITY, id, ChangeType.DELETE, time, sequence);
        deleted = true;
        if (random.nextInt(3) > 0) {
          return;
        }
      } else if (action < 92) {
        add(Entity.OPPORTUNITY, id, ChangeType.UPDATE, time, sequence,
            CanonicalFields.CURRENCY, random.nextBoolean() ? "USD" : "EUR");
      }
      // activities come in bursts: a few within minutes of each other, then nothing for a while
      if (random.nextInt(3) == 0) {
        long at = time + MINUTE * random.nextInt(120);
        for (int burst = 1 + random.nextInt(3); burst > 0 && at < end; burst--) {
          add(Entity.ACTIVITY, "A" + (++activities), ChangeType.CREATE, at, 0, CanonicalFields.OPPORTUNITY_ID, id,
              CanonicalFields.ACTIVITY_TYPE, random.nextBoolean() ? "call" : "email", CanonicalFields.OWNER_ID, owner());
          at += MINUTE * (1 + random.nextInt(20));
        }
      }
    }
  }

  private void generateLead(String id, long start, long end) {
    long time = start + (long) (random.nextDouble() * (end - start - DAY));
    List<Object> created = new ArrayList<>();
    int status = random.nextInt(20);
    created.addAll(java.util.Arrays.asList(CanonicalFields.STATUS,
        status == 0 ? null : status == 1 ? "Working - Contacted" : "Open - Not Contacted"));
    if (random.nextInt(20) > 0) {
      created.addAll(List.of(CanonicalFields.LEAD_SOURCE, LEAD_SOURCES.get(random.nextInt(LEAD_SOURCES.size()))));
    }
    if (random.nextInt(10) > 0) {
      created.addAll(List.of(CanonicalFields.OWNER_ID, owner()));
    }
    add(Entity.LEAD, id, ChangeType.CREATE, time, 0, created.toArray());
    int steps = random.nextInt(5);
    for (int step = 0; step < steps; step++) {
      // response delays from a minute to days, so some leads breach their SLA
      time += random.nextBoolean() ? MINUTE * (1 + random.nextInt(90)) : gap();
      if (time >= end) {
        return;
      }
      int action = random.nextInt(100);
      if (action < 30) {
        add(Entity.ACTIVITY, "LA" + (++activities), ChangeType.CREATE, time, 0, CanonicalFields.LEAD_ID, id,
            CanonicalFields.ACTIVITY_TYPE, "call", CanonicalFields.OWNER_ID, random.nextInt(6) == 0 ? null : owner());
      } else if (action < 45) {
        add(Entity.LEAD, id, ChangeType.UPDATE, time, 0, CanonicalFields.STATUS, "Working - Contacted");
      } else if (action < 60) {
        add(Entity.LEAD, id, ChangeType.UPDATE, time, 0, CanonicalFields.STATUS, "Closed - Converted",
            CanonicalFields.CONVERTED, true);
        return;
      } else if (action < 72) {
        add(Entity.LEAD, id, ChangeType.UPDATE, time, 0, CanonicalFields.STATUS, "Closed - Not Converted");
        return;
      } else if (action < 82) {
        add(Entity.LEAD, id, ChangeType.UPDATE, time, 0, CanonicalFields.OWNER_ID, owner());
      } else if (action < 90) {
        add(Entity.LEAD, id, ChangeType.UPDATE, time, 0, CanonicalFields.LEAD_SOURCE,
            LEAD_SOURCES.get(random.nextInt(LEAD_SOURCES.size())));
      } else if (action < 95) {
        add(Entity.LEAD, id, ChangeType.DELETE, time, 0);
        return;
      }
    }
  }

  /** Mostly hours to days; sometimes minutes, so exits share one-minute buckets. */
  private long gap() {
    return switch (random.nextInt(4)) {
      case 0 -> MINUTE * (1 + random.nextInt(30));
      case 1 -> MINUTE * 60 * (1 + random.nextInt(24));
      default -> DAY * (1 + random.nextInt(6));
    };
  }

  private String owner() {
    return "u" + (1 + random.nextInt(USERS + 1));
  }

  private void add(Entity entity, String id, ChangeType type, long time, long sequence, Object... fields) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      values.put((String) fields[i], fields[i + 1]);
    }
    changes.add(CrmChange.newBuilder()
        .setEventId("gen-" + (++eventCounter))
        .setOrigin("generator")
        .setEntity(entity)
        .setRecordId(id)
        .setChangeType(type)
        .setCommitTime(time)
        .setSequence(sequence)
        .setFields(values)
        .build());
  }

  /**
   * Orders the changes as they would arrive: each at its commit time plus a delay under half the
   * bound, so none is late, but arrival order differs from commit order. Then adds duplicates,
   * unreadable records and, separately, late changes.
   */
  private GeneratedHistory deliver(long end) {
    record Arrival(double at, GeneratedHistory.Delivery delivery) {}
    List<Arrival> arrivals = new ArrayList<>();
    Map<String, Integer> duplicates = new HashMap<>();
    for (CrmChange change : changes) {
      double at = change.getCommitTime() + random.nextDouble() * boundMillis / 2.0;
      arrivals.add(new Arrival(at, new GeneratedHistory.Delivery(change.getRecordId(), change, null)));
      if (random.nextInt(20) == 0) {
        double again = at + random.nextDouble() * boundMillis * 3;
        arrivals.add(new Arrival(again, new GeneratedHistory.Delivery(change.getRecordId(), change, null)));
        duplicates.merge(change.getEntity().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
    }
    long first = changes.get(0).getCommitTime();
    int invalid = 0;
    for (int i = 0; i < 12; i++) {
      double at = first + random.nextDouble() * (end - first);
      arrivals.add(new Arrival(at, new GeneratedHistory.Delivery("bad-" + i, null, badRecord(i, (long) at))));
      invalid++;
    }
    arrivals.sort(Comparator.comparingDouble(Arrival::at));
    List<CrmChange> late = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CrmChange victim = changes.get(random.nextInt(changes.size()));
      late.add(CrmChange.newBuilder(victim)
          .setEventId("late-" + i)
          .setEntity(Entity.OPPORTUNITY)
          .setRecordId("D" + random.nextInt(20))
          .setChangeType(ChangeType.UPDATE)
          .setSequence(0)
          .setFields(new LinkedHashMap<>(Map.of(CanonicalFields.STAGE, "Closed Won")))
          .build());
    }
    long last = changes.get(changes.size() - 1).getCommitTime();
    return new GeneratedHistory(List.copyOf(changes), arrivals.stream().map(Arrival::delivery).toList(),
        late, duplicates, invalid, first, last);
  }

  private byte[] badRecord(int i, long time) {
    return switch (i % 4) {
      case 0 -> ("not avro " + i).getBytes(StandardCharsets.UTF_8);
      case 1 -> Codecs.crmChange().encode(CrmChange.newBuilder()
          .setEventId("bad-" + i).setOrigin("generator").setEntity(Entity.OPPORTUNITY).setRecordId("D1")
          .setChangeType(ChangeType.UPDATE).setCommitTime(time).setSequence(0)
          .setFields(new LinkedHashMap<>(Map.of(CanonicalFields.AMOUNT, -1.0))).build());
      case 2 -> Codecs.crmChange().encode(CrmChange.newBuilder()
          .setEventId("bad-" + i).setOrigin("generator").setEntity(Entity.OPPORTUNITY).setRecordId("")
          .setChangeType(ChangeType.UPDATE).setCommitTime(time).setSequence(0).setFields(new LinkedHashMap<>())
          .build());
      default -> Codecs.crmChange().encode(CrmChange.newBuilder()
          .setEventId("bad-" + i).setOrigin("generator").setEntity(Entity.OPPORTUNITY).setRecordId("D2")
          .setChangeType(ChangeType.UPDATE).setCommitTime(time).setSequence(0)
          .setFields(new LinkedHashMap<>(Map.of(CanonicalFields.CURRENCY, "XYZ"))).build());
    };
  }
}
