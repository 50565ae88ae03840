package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.config.PipelineCatalog;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The opposite of the simulated backfill: the same number of changes packed into
 * {@link #SPAN} of commit time, on a few thousand deals and leads with tens of changes each
 * (stage moves, amount and close-date edits, status and name edits, linked activities), so the
 * job's per-record state, timers and per-dimension buckets are hit many times a minute instead of
 * a few times a month. Commit times run up to {@link #JITTER} out of order, as changes of
 * concurrent CRM transactions do, well inside the job's default 1-minute bound, so every change is
 * still accepted. Stage and status names are those of the job's default configuration.
 */
final class DenseHistory {

  static final long SPAN = Duration.ofHours(2).toMillis();
  /** How far a commit time may lie behind the newest one sent before it. */
  static final long JITTER = Duration.ofSeconds(20).toMillis();
  /** Consecutive changes of one record are at least this far apart, so the jitter never swaps them. */
  static final long MIN_GAP = JITTER + 1_000;
  /** Changes per deal or lead, its own activities included: uniform in this range. */
  static final int FEWEST_CHANGES = 20;
  static final int MOST_CHANGES = 60;

  /** What {@link #generate} produced. */
  record Generated(long changes, int deals, int leads, long firstCommit, long lastCommit) {}

  /** One deal or lead and where its story stands. */
  private static final class Story {
    final String id;
    final boolean deal;
    final String owner;
    final int changes;
    final long start;
    final double slot;
    int told;
    /** When its next change is sent (before the jitter of its commit time). */
    long nextAt;
    int stage;
    long closeDay;
    boolean working;

    Story(String id, boolean deal, String owner, int changes, long start, double slot) {
      this.id = id;
      this.deal = deal;
      this.owner = owner;
      this.changes = changes;
      this.start = start;
      this.slot = slot;
      this.nextAt = start;
    }
  }

  private DenseHistory() {}

  /**
   * Hands {@code wanted} changes to {@code sink} in the order they are to be sent: first the
   * {@link OpenDeals#OWNERS} as users, then the stories of the deals and leads interleaved, each
   * record's own changes in commit-time order. The history ends {@link SimulatedBackfill#MARGIN}
   * before {@code now}.
   */
  static Generated generate(long wanted, long now, Consumer<CrmChange> sink) {
    PulseConfig defaults = PulseConfigLoader.defaults();
    PipelineCatalog.Pipeline pipeline = defaults.pipelines().get(defaults.pipelines().defaultPipeline());
    List<String> stages = pipeline.stages();
    long end = now - SimulatedBackfill.MARGIN;
    long start = end - SPAN;
    SplittableRandom random = new SplittableRandom(11);
    Emitter emit = new Emitter(sink);

    for (String[] owner : OpenDeals.OWNERS) {
      if (emit.sent >= wanted) {
        break;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(CanonicalFields.NAME, "Bench rep " + owner[0].substring(owner[0].length() - 2));
      fields.put(CanonicalFields.TEAM, owner[1]);
      fields.put(CanonicalFields.ACTIVE, Boolean.TRUE);
      emit.change(Entity.USER, owner[0], ChangeType.CREATE, start, fields);
    }

    // Records start over the first third of the span, so each has at least two thirds of it for
    // its changes: one slot per change, placed at random in its slot but at least MIN_GAP apart.
    PriorityQueue<Story> queue = new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
    long planned = emit.sent;
    int deals = 0;
    int leads = 0;
    while (planned < wanted) {
      boolean deal = random.nextInt(5) < 3;
      int changes = (int) Math.min(wanted - planned,
          FEWEST_CHANGES + random.nextInt(MOST_CHANGES - FEWEST_CHANGES + 1));
      long first = start + (long) (random.nextDouble() * SPAN / 3);
      double slot = (end - first) / (double) changes;
      String id = String.format(Locale.ROOT, deal ? "006DENSE%07d" : "00QDENSE%07d", deal ? deals : leads);
      queue.add(new Story(id, deal, OpenDeals.OWNERS.get(random.nextInt(OpenDeals.OWNERS.size()))[0], changes, first,
          slot));
      planned += changes;
      if (deal) {
        deals++;
      } else {
        leads++;
      }
    }

    while (!queue.isEmpty()) {
      Story story = queue.poll();
      long commit = story.nextAt - (long) (random.nextDouble() * JITTER);
      if (story.deal) {
        tellDeal(story, commit, stages, pipeline, emit, random);
      } else {
        tellLead(story, commit, defaults, emit, random);
      }
      story.told++;
      if (story.told < story.changes) {
        double slotStart = story.start + story.told * story.slot;
        story.nextAt = Math.max(story.nextAt + MIN_GAP,
            (long) (slotStart + random.nextDouble() * Math.max(0, story.slot - MIN_GAP)));
        queue.add(story);
      }
    }
    return new Generated(emit.sent, deals, leads, emit.firstCommit, emit.lastCommit);
  }

  private static void tellDeal(Story deal, long commit, List<String> stages, PipelineCatalog.Pipeline pipeline,
      Emitter emit, SplittableRandom random) {
    if (deal.told == 0) {
      deal.closeDay = day(commit) + 30 + random.nextInt(90);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(CanonicalFields.NAME, "Dense deal " + deal.id.substring(8));
      fields.put(CanonicalFields.STAGE, stages.get(0));
      fields.put(CanonicalFields.PROBABILITY, probability(0, stages.size()));
      fields.put(CanonicalFields.AMOUNT, amount(random));
      fields.put(CanonicalFields.CURRENCY, "USD");
      fields.put(CanonicalFields.CLOSE_DATE, date(deal.closeDay));
      fields.put(CanonicalFields.OWNER_ID, deal.owner);
      fields.put(CanonicalFields.LEAD_SOURCE, random.nextBoolean() ? "Web" : "Partner Referral");
      emit.change(Entity.OPPORTUNITY, deal.id, ChangeType.CREATE, commit, fields);
      return;
    }
    boolean last = deal.told == deal.changes - 1;
    if (last && random.nextInt(10) < 4) {
      boolean won = random.nextBoolean();
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(CanonicalFields.STAGE, won ? pipeline.won() : pipeline.lost());
      fields.put(CanonicalFields.PROBABILITY, won ? 100.0 : 0.0);
      emit.change(Entity.OPPORTUNITY, deal.id, ChangeType.UPDATE, commit, fields);
      return;
    }
    int roll = random.nextInt(100);
    if (roll < 35) {
      Map<String, Object> fields = new LinkedHashMap<>();
      String type = List.of("call", "email", "meeting", "task").get(random.nextInt(4));
      fields.put(CanonicalFields.ACTIVITY_TYPE, type);
      fields.put(CanonicalFields.OPPORTUNITY_ID, deal.id);
      fields.put(CanonicalFields.OWNER_ID, deal.owner);
      emit.change(Entity.ACTIVITY, emit.activityId(type), ChangeType.CREATE, commit, fields);
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    int open = stages.size();
    if (roll < 60) {
      // Mostly forward; now and then a step back. The last open stage only ever steps back here:
      // closing is the story's end.
      boolean back = deal.stage == open - 1 || (deal.stage > 0 && random.nextInt(100) < 15);
      deal.stage += back ? -1 : 1;
      fields.put(CanonicalFields.STAGE, stages.get(deal.stage));
      fields.put(CanonicalFields.PROBABILITY, probability(deal.stage, open));
    } else if (roll < 90) {
      fields.put(CanonicalFields.AMOUNT, amount(random));
    } else {
      deal.closeDay += 7 + random.nextInt(24);
      fields.put(CanonicalFields.CLOSE_DATE, date(deal.closeDay));
    }
    emit.change(Entity.OPPORTUNITY, deal.id, ChangeType.UPDATE, commit, fields);
  }

  private static void tellLead(Story lead, long commit, PulseConfig defaults, Emitter emit, SplittableRandom random) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (lead.told == 0) {
      fields.put(CanonicalFields.NAME, "Dense lead " + lead.id.substring(8));
      fields.put(CanonicalFields.LEAD_SOURCE, random.nextBoolean() ? "Web" : "Trade Show");
      fields.put(CanonicalFields.OWNER_ID, lead.owner);
      fields.put(CanonicalFields.STATUS, defaults.leads().untouchedStatus());
      fields.put(CanonicalFields.CONVERTED, Boolean.FALSE);
      emit.change(Entity.LEAD, lead.id, ChangeType.CREATE, commit, fields);
      return;
    }
    boolean last = lead.told == lead.changes - 1;
    if (last && random.nextBoolean()) {
      boolean converted = random.nextBoolean();
      fields.put(CanonicalFields.STATUS, converted ? defaults.leads().convertedStatuses().get(0)
          : defaults.leads().disqualifiedStatuses().get(0));
      fields.put(CanonicalFields.CONVERTED, converted);
      emit.change(Entity.LEAD, lead.id, ChangeType.UPDATE, commit, fields);
      return;
    }
    if (random.nextInt(100) < 65) {
      String type = random.nextInt(10) < 6 ? "call" : "email";
      fields.put(CanonicalFields.ACTIVITY_TYPE, type);
      fields.put(CanonicalFields.LEAD_ID, lead.id);
      fields.put(CanonicalFields.OWNER_ID, lead.owner);
      emit.change(Entity.ACTIVITY, emit.activityId(type), ChangeType.CREATE, commit, fields);
      return;
    }
    if (!lead.working) {
      lead.working = true;
      fields.put(CanonicalFields.STATUS, "Working - Contacted");
    } else {
      // the rep tidies the record up as they learn more
      fields.put(CanonicalFields.NAME, "Dense lead " + lead.id.substring(8) + " (rev " + lead.told + ")");
    }
    emit.change(Entity.LEAD, lead.id, ChangeType.UPDATE, commit, fields);
  }

  /** A stage's probability: 10% for the first open stage rising to 90% for the last. */
  static double probability(int stage, int openStages) {
    return openStages <= 1 ? 50.0 : Math.round(10 + 80.0 * stage / (openStages - 1));
  }

  private static double amount(SplittableRandom random) {
    return 1_000 + random.nextInt(200) * 500.0;
  }

  private static long day(long millis) {
    return Math.floorDiv(millis, SimulatedBackfill.DAY);
  }

  private static String date(long epochDay) {
    return Instant.ofEpochMilli(epochDay * SimulatedBackfill.DAY).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** Builds and counts the changes; the sequence is the send order, as a CRM's change log would number them. */
  private static final class Emitter {
    final Consumer<CrmChange> sink;
    long sent;
    long activities;
    long firstCommit = Long.MAX_VALUE;
    long lastCommit = Long.MIN_VALUE;

    Emitter(Consumer<CrmChange> sink) {
      this.sink = sink;
    }

    String activityId(String type) {
      activities++;
      return String.format(Locale.ROOT, "%sDENSE%07d", type.equals("meeting") ? "00U" : "00T", activities);
    }

    void change(Entity entity, String recordId, ChangeType type, long commit, Map<String, Object> fields) {
      sent++;
      firstCommit = Math.min(firstCommit, commit);
      lastCommit = Math.max(lastCommit, commit);
      sink.accept(CrmChange.newBuilder()
          .setEventId("bench-dense-" + sent)
          .setOrigin("bench")
          .setEntity(entity)
          .setRecordId(recordId)
          .setChangeType(type)
          .setCommitTime(commit)
          .setSequence(sent)
          .setFields(fields)
          .build());
    }
  }
}
