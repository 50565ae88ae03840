package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import io.pipelinepulse.testing.KafkaTestBroker;
import io.pipelinepulse.testing.PulseJobRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of bad records of every kind the job refuses at decode, mixed into a generated valid
 * history on a real broker, through the real job on a MiniCluster at parallelism 2: the job never
 * restarts, every bad record is dead-lettered exactly once with its reason (and a bounded excerpt
 * of its value), and every KPI still equals the reference model on the valid part.
 */
class BadInputFuzzTest {

  private static final int FLINK_METRICS_PORT = PulseJobRunner.unusedPort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster(FLINK_METRICS_PORT);

  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;
  private static final int BAD_RECORDS = 2_000;

  /** The kinds of bad record, each with the reason it must be dead-lettered with. */
  enum Bad {
    RANDOM_BYTES("undecodable"),
    EMPTY_VALUE("undecodable"),
    TRUNCATED_AVRO("undecodable"),
    HUGE_DECLARED_LENGTH("undecodable"),
    TEXT_OF_140K_CHARACTERS("text-too-long"),
    COMMIT_TIME_IN_2099("future-commit-time"),
    CLOSE_DATE_IN_YEAR_999999999("invalid-value"),
    AMOUNT_1E308("invalid-value"),
    AMOUNT_NAN("invalid-value"),
    NO_RECORD_ID("missing-record-id");

    final String reason;

    Bad(String reason) {
      this.reason = reason;
    }
  }

  @Test
  void badRecordsOfEveryKindAreDeadLetteredOnceAndTheValidHistoryStaysExact() throws Exception {
    long now = System.currentTimeMillis();
    long start = (now / TEN_MINUTES) * TEN_MINUTES - 40 * DAY;
    GeneratedHistory valid = new HistoryGenerator(23, MINUTE).generate(start, 39, 120);
    Random random = new Random(23);
    List<GeneratedHistory.Delivery> deliveries = new ArrayList<>(valid.deliveries());
    Map<String, Bad> kinds = new HashMap<>();
    for (int i = 0; i < BAD_RECORDS; i++) {
      Bad kind = Bad.values()[i % Bad.values().length];
      String key = "fuzz-" + i;
      kinds.put(key, kind);
      long time = valid.firstCommitTime() + (long) (random.nextDouble() * (valid.lastCommitTime() - valid.firstCommitTime()));
      deliveries.add(random.nextInt(deliveries.size() + 1),
          new GeneratedHistory.Delivery(key, null, badValue(kind, key, time, random)));
    }
    GeneratedHistory history = new GeneratedHistory(valid.changes(), deliveries, valid.lateChanges(),
        valid.duplicateDeliveries(), valid.invalidDeliveries() + BAD_RECORDS, valid.firstCommitTime(),
        valid.lastCommitTime());

    try (KafkaTestBroker broker = KafkaTestBroker.start()) {
      broker.createTopic("crm.changes", 4);
      broker.createTopic("pulse.kpi", 2);
      broker.createTopic("pulse.dead-letter", 1);
      int port = PulseJobRunner.freePort();
      PulseConfig config = PulseJobRunner.testConfig(broker, port, HistoryGenerator.configYaml(),
          "clock:\n  idle-timeout: 5s\n  backlog-idle-timeout: 5s\n");
      HistoryRuns.send(broker, "crm.changes", history.deliveries(), 0, history.deliveries().size(), 0);
      JobClient job = PulseJobRunner.start(config);
      try {
        HistoryRuns.completeHistory(broker, "crm.changes", "http://127.0.0.1:" + port + "/metrics", history);

        Map<String, List<DeadLetter>> letters = new HashMap<>();
        SingleObjectCodec<DeadLetter> codec = Codecs.deadLetter();
        for (ConsumerRecord<byte[], byte[]> record : broker.readAll("pulse.dead-letter", Duration.ofSeconds(1))) {
          DeadLetter letter = codec.decode(record.value());
          if (letter.getKey() != null) {
            letters.computeIfAbsent(StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString(),
                k -> new ArrayList<>()).add(letter);
          }
        }
        Map<Bad, Integer> seen = new HashMap<>();
        for (Map.Entry<String, Bad> bad : kinds.entrySet()) {
          List<DeadLetter> ofRecord = letters.getOrDefault(bad.getKey(), List.of());
          assertThat(ofRecord).as("dead letters of %s (%s)", bad.getKey(), bad.getValue()).hasSize(1);
          DeadLetter letter = ofRecord.get(0);
          assertThat(letter.getReason()).as("%s (%s): %s", bad.getKey(), bad.getValue(), letter.getDetail())
              .isEqualTo(bad.getValue().reason);
          assertThat(letter.getOperator()).isEqualTo("decode");
          assertThat(letter.getTopic()).isEqualTo("crm.changes");
          assertThat(letter.getValue() == null ? 0 : letter.getValue().remaining()).isLessThanOrEqualTo(65_536);
          if (bad.getValue() == Bad.TEXT_OF_140K_CHARACTERS) {
            assertThat(letter.getValueTruncated()).isTrue();
            assertThat(letter.getValueSize()).isGreaterThan(140_000);
          }
          seen.merge(bad.getValue(), 1, Integer::sum);
        }
        assertThat(seen).as("every kind was sent").hasSize(Bad.values().length);

        long lastPoint = ((System.currentTimeMillis() - MINUTE - 2 * MINUTE) / TEN_MINUTES) * TEN_MINUTES;
        KpiTimeline timeline = new KpiTimeline(HistoryRuns.readKpis(broker, "pulse.kpi"));
        ReferenceModel model = new ReferenceModel(config, history.changes());
        int compared = 0;
        for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
          compared += HistoryRuns.assertKpisAt(config, model, timeline, m, "fuzz");
        }
        assertThat(compared).as("series compared over all points").isGreaterThan(1000);

        PulseJobRunner.assertNeverRestarted(FLINK_METRICS_PORT);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static byte[] badValue(Bad kind, String key, long time, Random random) throws IOException {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    return switch (kind) {
      case RANDOM_BYTES -> {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        bytes[0] = (byte) (bytes[0] == (byte) 0xC3 ? 0 : bytes[0]); // never the single-object marker
        yield bytes;
      }
      case EMPTY_VALUE -> new byte[0];
      case TRUNCATED_AVRO -> {
        byte[] whole = codec.encode(change(key, time, CanonicalFields.STAGE, "Prospecting", "name", "Deal " + key));
        yield java.util.Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
      }
      case HUGE_DECLARED_LENGTH -> {
        byte[] whole = codec.encode(change(key, time, CanonicalFields.STAGE, "Prospecting"));
        // after the 10-byte header comes eventId: its length as a zig-zag varint, then its bytes
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write(whole, 0, 10);
        long zigzag = 2L * (1_000_000_000L + random.nextInt(1_000_000_000));
        while ((zigzag & ~0x7FL) != 0) {
          forged.write((int) ((zigzag & 0x7F) | 0x80));
          zigzag >>>= 7;
        }
        forged.write((int) zigzag);
        int eventIdLength = key.length() + "fuzz-event-".length();
        forged.write(whole, 11, whole.length - 11);
        assertThat(whole[10]).as("eventId's length").isEqualTo((byte) (2 * eventIdLength));
        yield forged.toByteArray();
      }
      case TEXT_OF_140K_CHARACTERS -> codec.encode(change(key, time, "name", "x".repeat(140_000)));
      case COMMIT_TIME_IN_2099 -> codec.encode(change(key, 4_070_908_800_000L, CanonicalFields.STAGE, "Prospecting"));
      case CLOSE_DATE_IN_YEAR_999999999 -> codec.encode(change(key, time, CanonicalFields.CLOSE_DATE, "+999999999-12-31"));
      case AMOUNT_1E308 -> codec.encode(change(key, time, CanonicalFields.AMOUNT, 1e308));
      case AMOUNT_NAN -> codec.encode(change(key, time, CanonicalFields.AMOUNT, Double.NaN));
      case NO_RECORD_ID -> {
        CrmChange change = change(key, time, CanonicalFields.STAGE, "Prospecting");
        change.setRecordId("");
        yield codec.encode(change);
      }
    };
  }

  /** An opportunity change of a record no valid change touches. */
  private static CrmChange change(String key, long time, Object... fields) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      values.put((String) fields[i], fields[i + 1]);
    }
    return CrmChange.newBuilder().setEventId("fuzz-event-" + key).setOrigin("fuzz").setEntity(Entity.OPPORTUNITY)
        .setRecordId("F-" + key).setChangeType(ChangeType.UPDATE).setCommitTime(time).setSequence(0)
        .setFields(values).build();
  }


}
