package io.pipelinepulse.localstack.bench;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
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
 * date, an owner among a few users. Their commit times are spread over one day that ends
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
    long end = now - SimulatedBackfill.MARGIN;
    long start = end - SimulatedBackfill.DAY;
    double step = SimulatedBackfill.DAY / (double) count;
    SplittableRandom random = new SplittableRandom(7);
    for (long i = 0; i < count; i++) {
      long commit = start + (long) (i * step);
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
          .setRecordId(String.format(Locale.ROOT, "006BENCH%07d", i))
          .setChangeType(ChangeType.CREATE)
          .setCommitTime(commit)
          .setSequence(0)
          .setFields(fields)
          .build());
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

  /** Sends the deals, then {@link #clockMarkers}; returns how many markers. */
  static int fill(String bootstrapServers, String topic, long count, int partitions, PrintStream log) {
    long[] nextReport = {System.nanoTime() + 5_000_000_000L};
    long[] sent = {0};
    try (ChangeProducer producer = new ChangeProducer(bootstrapServers, topic, "pulse-bench-open-deals")) {
      long now = System.currentTimeMillis();
      generate(count, now, change -> {
        producer.send(change, null);
        sent[0]++;
        if ((sent[0] & 0x3ff) == 0) {
          if (producer.fatalFailure().isPresent()) {
            throw new IllegalStateException("cannot publish to " + topic + ": "
                + ChangeProducer.describe(producer.fatalFailure().get()));
          }
          if (System.nanoTime() > nextReport[0]) {
            nextReport[0] = System.nanoTime() + 5_000_000_000L;
            log.printf(Locale.ROOT, "  ... %,d of %,d open deals sent%n", sent[0], count);
          }
        }
      });
      producer.flush();
      List<CrmChange> markers = clockMarkers(partitions, now);
      for (CrmChange marker : markers) {
        producer.send(marker, null);
      }
      producer.flush();
      if (producer.acknowledged() != count + markers.size()) {
        throw new IllegalStateException("only " + producer.acknowledged() + " of " + (count + markers.size())
            + " changes were acknowledged"
            + producer.fatalFailure().map(e -> ": " + ChangeProducer.describe(e)).orElse(""));
      }
      return markers.size();
    }
  }
}
