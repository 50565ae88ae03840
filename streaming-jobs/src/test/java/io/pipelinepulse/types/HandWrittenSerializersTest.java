package io.pipelinepulse.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.IngestedChangeSerializer;
import io.pipelinepulse.metrics.Kpi;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.window.MeasurementSerializer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The serializers of the busiest streams: every value survives, copies are independent, snapshots restore. */
class HandWrittenSerializersTest {

  private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    serializer.serialize(value, out); // two in a row: each reads exactly its own bytes
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    T first = serializer.deserialize(in);
    T second = serializer.deserialize(in);
    assertThat(second).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
        .isEqualTo(first);
    assertThat(in.available()).isZero();
    return first;
  }

  private static CrmChange change() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("stage", "Needs Analysis");
    fields.put("amount", 1200.5);
    fields.put("probability", 40L);
    fields.put("isClosed", Boolean.FALSE);
    fields.put("closeDate", null);
    return new CrmChange("e-1", "simulator", Entity.OPPORTUNITY, "006A", ChangeType.UPDATE, 1_767_607_200_123L, 7L,
        fields);
  }

  @Test
  void crmChangeKeepsEveryFieldAndEveryValueType() throws IOException {
    CrmChange original = change();
    CrmChange read = roundTrip(CrmChangeSerializer.INSTANCE, original);
    assertThat(read).isEqualTo(original);
    assertThat(read.getFields()).containsEntry("closeDate", null).containsEntry("probability", 40L)
        .containsEntry("amount", 1200.5).containsEntry("isClosed", false);
    assertThat(read.getFields().get("probability")).isInstanceOf(Long.class);
  }

  @Test
  void crmChangeCopyDoesNotShareItsFields() {
    CrmChange original = change();
    CrmChange copy = CrmChangeSerializer.INSTANCE.copy(original);
    copy.getFields().put("stage", "Closed Won");
    assertThat(original.getFields()).containsEntry("stage", "Needs Analysis");
  }

  @Test
  void kpiSnapshotKeepsLabelOrderAndAbsentValues() throws IOException {
    KpiSnapshot present = Kpi.gauge("pulse_open_deals", Kpi.labels("pipeline", "default", "stage", "Won", "team", "East"),
        3.0, 42L);
    KpiSnapshot read = roundTrip(KpiSnapshotSerializer.INSTANCE, present);
    assertThat(read).isEqualTo(present);
    assertThat(List.copyOf(read.getLabels().keySet())).containsExactly("pipeline", "stage", "team");
    KpiSnapshot absent = Kpi.absent("pulse_win_ratio", Kpi.labels("pipeline", "default"), 42L);
    assertThat(roundTrip(KpiSnapshotSerializer.INSTANCE, absent).getValue()).isNull();
  }

  @Test
  void ingestedChangeCarriesItsOriginAndEitherAChangeOrADeadLetter() throws IOException {
    IngestedChange readable = new IngestedChange();
    readable.change = change();
    readable.format = "canonical";
    readable.topic = "crm.changes";
    readable.partition = 3;
    readable.offset = 123_456_789_012L;
    readable.recordTimestamp = 99L;
    IngestedChange read = roundTrip(IngestedChangeSerializer.INSTANCE, readable);
    assertThat(read).usingRecursiveComparison().isEqualTo(readable);

    IngestedChange unreadable = new IngestedChange();
    unreadable.format = "canonical";
    unreadable.topic = "crm.changes";
    unreadable.deadLetter = new io.pipelinepulse.ingest.DeadLetters(
        io.pipelinepulse.config.PulseConfigLoader.defaults().deadLetters())
        .of(unreadable, "decode", "undecodable", "bad bytes", null, new byte[] {1, 2, 3});
    DeadLetter letter = roundTrip(IngestedChangeSerializer.INSTANCE, unreadable).deadLetter;
    assertThat(letter).isEqualTo(unreadable.deadLetter);

    IngestedChange gap = new IngestedChange();
    gap.format = "salesforce-cdc";
    gap.topic = "salesforce.changes";
    gap.gapEntity = "opportunity";
    gap.gap = GapEvent.newBuilder().setOrigin("salesforce").setEntity("Opportunity").setGapType("GAP_UPDATE")
        .setRecordIds(List.of("0061", "0062")).setCommitTime(42L).setTransactionKey(null).setFormat("salesforce-cdc")
        .setTopic("salesforce.changes").setPartition(1).setOffset(7L).build();
    IngestedChange readGap = roundTrip(IngestedChangeSerializer.INSTANCE, gap);
    assertThat(readGap.gap).isEqualTo(gap.gap);
    assertThat(readGap.gapEntity).isEqualTo("opportunity");
    assertThat(readGap.change).isNull();
    assertThat(IngestedChangeSerializer.INSTANCE.copy(gap).gap).isEqualTo(gap.gap);
  }

  @Test
  void snapshotsRestoreTheSameSerializer() {
    for (TypeSerializer<?> serializer : List.of(CrmChangeSerializer.INSTANCE, KpiSnapshotSerializer.INSTANCE,
        IngestedChangeSerializer.INSTANCE)) {
      TypeSerializerSnapshot<?> snapshot = serializer.snapshotConfiguration();
      assertThat(snapshot.restoreSerializer()).isSameAs(serializer);
    }
  }

  @Test
  void typeInformationHandsOutTheSerializer() {
    assertThat(CrmChangeSerializer.TYPE.createSerializer(new SerializerConfigImpl())).isSameAs(CrmChangeSerializer.INSTANCE);
    assertThat(CrmChangeSerializer.TYPE).isEqualTo(new SerializerTypeInfo<>(CrmChange.class, CrmChangeSerializer.INSTANCE))
        .isNotEqualTo(KpiSnapshotSerializer.TYPE);
  }

  @Test
  void measurementKeepsItsLabelsCountsSumsSampleAndCurrentDelta() throws IOException {
    io.pipelinepulse.window.Measurement full = new io.pipelinepulse.window.Measurement(42L,
        "pipeline", "default", "team", "East").kpi(3).counts(1, 0, 7).sums(12.5, -3.0).sample(86_400.0)
        .currentDelta(-2);
    assertThat(roundTrip(MeasurementSerializer.INSTANCE, full)).usingRecursiveComparison().isEqualTo(full);
    io.pipelinepulse.window.Measurement bare = new io.pipelinepulse.window.Measurement(7L, "team", "West");
    io.pipelinepulse.window.Measurement read = roundTrip(MeasurementSerializer.INSTANCE, bare);
    assertThat(read).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(bare);
    assertThat(read.sample).isNaN();
    assertThat(MeasurementSerializer.INSTANCE.copy(full)).usingRecursiveComparison().isEqualTo(full);
    assertThat(MeasurementSerializer.INSTANCE.copy(full).counts).isNotSameAs(full.counts);
  }

  @Test
  void textsLongerThan64KbAnywhereSurvive() throws IOException {
    String description = "é".repeat(40_000); // 80,000 bytes of UTF-8
    CrmChange change = change();
    change.getFields().put("name", description);
    change.setRecordId("006" + "A".repeat(70_000));
    CrmChange read = roundTrip(CrmChangeSerializer.INSTANCE, change);
    assertThat(read.getFields()).containsEntry("name", description);
    assertThat(read.getRecordId()).hasSize(70_003);

    KpiSnapshot kpi = Kpi.gauge("pulse_open_deals", Kpi.labels("pipeline", "p".repeat(70_000)), 1.0, 42L);
    assertThat(roundTrip(KpiSnapshotSerializer.INSTANCE, kpi).getLabels().get("pipeline")).hasSize(70_000);

    IngestedChange ingested = new IngestedChange();
    ingested.change = change;
    ingested.format = "canonical";
    ingested.topic = "t".repeat(70_000);
    assertThat(roundTrip(IngestedChangeSerializer.INSTANCE, ingested).topic).hasSize(70_000);
  }
}
