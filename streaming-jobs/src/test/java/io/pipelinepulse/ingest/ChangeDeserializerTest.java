package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.testing.Changes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Every Kafka record becomes exactly one IngestedChange: a valid change or a dead letter with its origin. */
class ChangeDeserializerTest {

  private static final long T = 1_767_607_200_000L;

  private final ChangeDeserializer deserializer = new ChangeDeserializer(
      Map.of("crm.changes", InputFormat.CANONICAL), new ChangeValidator(PulseConfigLoader.defaults().currency(), PulseConfigLoader.defaults().input()),
      PulseConfigLoader.defaults());

  private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
    return new ConsumerRecord<>("crm.changes", 3, 41L, T + 7, TimestampType.CREATE_TIME, -1, -1, key, value,
        new RecordHeaders(), Optional.empty());
  }

  private IngestedChange read(ConsumerRecord<byte[], byte[]> record) {
    List<IngestedChange> out = new ArrayList<>();
    deserializer.deserialize(record, new Collector<>() {
      @Override
      public void collect(IngestedChange value) {
        out.add(value);
      }

      @Override
      public void close() {}
    });
    assertThat(out).hasSize(1);
    IngestedChange ingested = out.get(0);
    assertThat(ingested.format).isEqualTo("canonical");
    assertThat(ingested.topic).isEqualTo("crm.changes");
    assertThat(ingested.partition).isEqualTo(3);
    assertThat(ingested.offset).isEqualTo(41L);
    assertThat(ingested.recordTimestamp).isEqualTo(T + 7);
    return ingested;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static void assertDeadLetter(IngestedChange ingested, String reason, byte[] key, byte[] value) {
    assertThat(ingested.isReadable()).isFalse();
    DeadLetter letter = ingested.deadLetter;
    assertThat(letter.getReason()).isEqualTo(reason);
    assertThat(letter.getDetail()).isNotBlank();
    assertThat(letter.getFormat()).isEqualTo("canonical");
    assertThat(letter.getTopic()).isEqualTo("crm.changes");
    assertThat(letter.getPartition()).isEqualTo(3);
    assertThat(letter.getOffset()).isEqualTo(41L);
    assertThat(letter.getRecordTimestamp()).isEqualTo(T + 7);
    assertThat(bytes(letter.getKey())).isEqualTo(key);
    assertThat(bytes(letter.getValue())).isEqualTo(value);
  }

  @Test
  void validChangeIsReadable() {
    CrmChange change = Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "Prospecting", "amount", 10.0);
    IngestedChange ingested = read(record("006A".getBytes(StandardCharsets.UTF_8), Codecs.crmChange().encode(change)));
    assertThat(ingested.isReadable()).isTrue();
    assertThat(ingested.change).isEqualTo(change);
    assertThat(ingested.deadLetter).isNull();
  }

  @Test
  void garbageIsDeadLetteredAsUndecodableWithRawKeyAndValue() {
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    byte[] value = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
    assertDeadLetter(read(record(key, value)), "undecodable", key, value);
  }

  @Test
  void aTextDeclaringGigabytesIsRefusedBeforeAnyIsAllocated() {
    byte[] valid = Codecs.crmChange().encode(Changes.opportunity("006A", ChangeType.CREATE, T, "stage", "x"));
    // after the 10-byte single-object header comes eventId: its length, zig-zag varint, then its bytes
    long zigzag = 2L * 2_000_000_000L;
    java.io.ByteArrayOutputStream forged = new java.io.ByteArrayOutputStream();
    forged.write(valid, 0, 10);
    while ((zigzag & ~0x7FL) != 0) {
      forged.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    forged.write((int) zigzag);
    forged.write(valid, 11, valid.length - 11);
    byte[] value = forged.toByteArray();
    IngestedChange ingested = read(record(null, value));
    assertDeadLetter(ingested, "undecodable", null, value);
    assertThat(ingested.deadLetter.getDetail()).contains("String length 2000000000 exceeds maximum allowed");
  }

  @Test
  void tombstoneIsDeadLetteredAsUndecodable() {
    assertDeadLetter(read(record(null, null)), "undecodable", null, null);
  }

  @Test
  void recordOfAnotherSchemaIsUnknownSchema() {
    byte[] value = Codecs.kpiSnapshot().encode(KpiSnapshot.newBuilder().setMetric("m").setKind(MetricKind.GAUGE)
        .setValue(1.0).setAsOf(T).build());
    assertDeadLetter(read(record(null, value)), "unknown-schema", null, value);
  }

  @Test
  void invalidChangeIsDeadLetteredWithTheValidatorsReason() {
    byte[] negative = Codecs.crmChange().encode(Changes.opportunity("006A", ChangeType.UPDATE, T, "amount", -1.0));
    assertDeadLetter(read(record(null, negative)), "invalid-value", null, negative);

    byte[] ancient = Codecs.crmChange().encode(Changes.opportunity("006A", ChangeType.UPDATE, 1_000L));
    assertDeadLetter(read(record(null, ancient)), "missing-commit-time", null, ancient);

    byte[] noRecord = Codecs.crmChange().encode(Changes.opportunity("", ChangeType.UPDATE, T));
    assertDeadLetter(read(record(null, noRecord)), "missing-record-id", null, noRecord);
  }

  @Test
  void unconfiguredTopicIsReadAsCanonical() {
    CrmChange change = Changes.user("u1", ChangeType.CREATE, T, "team", "East");
    ConsumerRecord<byte[], byte[]> other = new ConsumerRecord<>("other.topic", 0, 1L, null,
        Codecs.crmChange().encode(change));
    List<IngestedChange> out = new ArrayList<>();
    deserializer.deserialize(other, new Collector<>() {
      @Override
      public void collect(IngestedChange value) {
        out.add(value);
      }

      @Override
      public void close() {}
    });
    assertThat(out).singleElement().satisfies(i -> {
      assertThat(i.format).isEqualTo("canonical");
      assertThat(i.change).isEqualTo(change);
    });
  }

  @Test
  void aHubSpotDeliveryDeadLettersOnlyTheEventItCannotReadWithThatEventAsItsValue() {
    ChangeDeserializer hubspot = new ChangeDeserializer(Map.of("hubspot.events", InputFormat.HUBSPOT),
        new ChangeValidator(PulseConfigLoader.defaults().currency(), PulseConfigLoader.defaults().input()), PulseConfigLoader.defaults());
    String bad = "{\"subscriptionType\":\"deal.creation\",\"objectId\":6}";
    String delivery = "[{\"subscriptionType\":\"deal.creation\",\"objectId\":5,\"occurredAt\":" + T + "},"
        + bad + "]";
    List<IngestedChange> out = new ArrayList<>();
    hubspot.deserialize(new ConsumerRecord<>("hubspot.events", 0, 9L, "k".getBytes(StandardCharsets.UTF_8),
        delivery.getBytes(StandardCharsets.UTF_8)), new Collector<>() {
          @Override
          public void collect(IngestedChange value) {
            out.add(value);
          }

          @Override
          public void close() {}
        });
    assertThat(out).filteredOn(IngestedChange::isReadable).singleElement()
        .satisfies(read -> assertThat(read.change.getRecordId()).isEqualTo("5"));
    assertThat(out).filteredOn(ingested -> !ingested.isReadable()).singleElement().satisfies(letter -> {
      assertThat(letter.deadLetter.getReason()).isEqualTo("missing-commit-time");
      assertThat(letter.deadLetter.getOffset()).isEqualTo(9L);
      assertThat(bytes(letter.deadLetter.getValue())).isEqualTo(bad.getBytes(StandardCharsets.UTF_8));
    });
  }
}
