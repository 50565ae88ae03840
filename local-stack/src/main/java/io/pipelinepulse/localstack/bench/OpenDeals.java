package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Utils;

/**
 * Opportunity creations that stay open: distinct ids, stage "Prospecting", an amount, a close
 * date, an owner among a few users; optionally followed by amount edits that keep them open. Their
 * commit times are spread over one day that ends
 * {@link SimulatedBackfill#MARGIN} before now, in increasing order, so none is late; the
 * {@link #clockMarkers} after them move the job's clock past them all.
 */
final class OpenDeals {

  static final String STAGE = "Prospecting";
  /** Owners of the deals, with their teams (given to the job as its user directory). */
  static final List<String[]> OWNERS = List.of(
      new String[] {"005BENCH0000001", "East"}, new String[] {"005BENCH0000002", "East"},
      new String[] {"005BENCH0000003", "West"}, new String[] {"005BENCH0000004", "West"},
      new String[] {"005BENCH0000005", "North"}, new String[] {"005BENCH0000006", "North"},
      new String[] {"005BENCH0000007", "South"}, new String[] {"005BENCH0000008", "South"});

  private OpenDeals() {}

  /** The user directory of {@link #OWNERS} as a configuration layer. */
  static String directoryYaml() {
    StringBuilder yaml = new StringBuilder("directory:\n  users:\n");
    for (String[] owner : OWNERS) {
      yaml.append("    - id: ").append(owner[0]).append("\n      team: ").append(owner[1]).append('\n');
    }
    return yaml.toString();
  }

  /** Hands {@code count} open-deal creations to {@code sink}, in commit-time order. */
  static void generate(long count, long now, Consumer<CrmChange> sink) {
    generate(count, 1, now, sink);
  }

  /**
   * Hands {@code count} open deals with {@code changesPerDeal} changes each to {@code sink}, in
   * commit-time order: first every creation, then each round of updates (a new amount, so the deal
   * stays open in its stage) over all deals again. Each change is one more event id the job
   * remembers for the deal, so comparing runs with 1 and with k changes prices an event id.
   */
  static void generate(long count, int changesPerDeal, long now, Consumer<CrmChange> sink) {
    long end = now - SimulatedBackfill.MARGIN;
    long start = end - SimulatedBackfill.DAY;
    double step = SimulatedBackfill.DAY / (double) (count * changesPerDeal);
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < changesPerDeal; round++) {
      for (long i = 0; i < count; i++) {
        long commit = start + (long) ((round * count + i) * step);
        String recordId = String.format(Locale.ROOT, "006BENCH%07d", i);
        if (round > 0) {
          // Quarter units: never the creation's whole thousands, never another round's amount.
          sink.accept(CrmChange.newBuilder()
              .setEventId("bench-open-" + i + "-" + round)
              .setOrigin("bench")
              .setEntity(Entity.OPPORTUNITY)
              .setRecordId(recordId)
              .setChangeType(ChangeType.UPDATE)
              .setCommitTime(commit)
              .setSequence(round)
              .setFields(new LinkedHashMap<>(Map.of(CanonicalFields.AMOUNT,
                  1000 + random.nextInt(99) * 1000 + (round % 4) * 250.0)))
              .build());
          continue;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(CanonicalFields.NAME, "Bench deal " + i);
        fields.put(CanonicalFields.STAGE, STAGE);
        fields.put(CanonicalFields.PROBABILITY, 10.0);
        fields.put(CanonicalFields.AMOUNT, (double) (1000 + random.nextInt(99) * 1000));
        fields.put(CanonicalFields.CURRENCY, "USD");
        fields.put(CanonicalFields.CLOSE_DATE,
            Instant.ofEpochMilli(commit).plus(Duration.ofDays(30 + random.nextInt(90))).atZone(ZoneOffset.UTC)
                .toLocalDate().toString());
        fields.put(CanonicalFields.OWNER_ID, OWNERS.get(random.nextInt(OWNERS.size()))[0]);
        sink.accept(CrmChange.newBuilder()
            .setEventId("bench-open-" + i)
            .setOrigin("bench")
            .setEntity(Entity.OPPORTUNITY)
            .setRecordId(recordId)
            .setChangeType(ChangeType.CREATE)
            .setCommitTime(commit)
            .setSequence(0)
            .setFields(fields)
            .build());
      }
    }
  }

  /**
   * One activity per partition, two minutes after the last deal (still in the past): it moves
   * every partition's clock past all deals, so they are applied without waiting for the input to
   * look idle. The job counts them as input but keeps no deal state for them.
   */
  static List<CrmChange> clockMarkers(int partitions, long now) {
    long commit = now - SimulatedBackfill.MARGIN + Duration.ofMinutes(2).toMillis();
    List<CrmChange> markers = new ArrayList<>();
    boolean[] covered = new boolean[partitions];
    for (int i = 0; markers.size() < partitions; i++) {
      String recordId = String.format(Locale.ROOT, "00TBENCH%07d", i);
      int partition = Utils.toPositive(Utils.murmur2(recordId.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (!covered[partition]) {
        covered[partition] = true;
        markers.add(CrmChange.newBuilder()
            .setEventId("bench-clock-" + i)
            .setOrigin("bench")
            .setEntity(Entity.ACTIVITY)
            .setRecordId(recordId)
            .setChangeType(ChangeType.CREATE)
            .setCommitTime(commit)
            .setSequence(0)
            .setFields(new LinkedHashMap<>(Map.of(CanonicalFields.ACTIVITY_TYPE, "Task")))
            .build());
      }
    }
    return markers;
  }

  /** Sends the deals ({@code changesPerDeal} changes each), then {@link #clockMarkers}; returns how many markers. */
  static int fill(String bootstrapServers, String topic, long count, int changesPerDeal, int partitions,
      PrintStream log) {
    long now = System.currentTimeMillis();
    List<CrmChange> markers = clockMarkers(partitions, now);
    TopicFill.publish(bootstrapServers, topic, "open-deal changes", count * changesPerDeal, send -> {
      generate(count, changesPerDeal, now, send);
      markers.forEach(send);
    }, log);
    return markers.size();
  }
}
