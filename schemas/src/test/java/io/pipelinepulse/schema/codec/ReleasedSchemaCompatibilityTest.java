package io.pipelinepulse.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.MetricKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wire contract: every released writer schema of every record type stays readable by the
 * current codec, the newest release is the current schema, and undecodable input is classified
 * with the dead-letter reason codes.
 */
class ReleasedSchemaCompatibilityTest {

  /** The record types of the wire contract, by schema name. */
  private static final Map<String, Supplier<SingleObjectCodec<? extends SpecificRecordBase>>> CODECS =
      new LinkedHashMap<>();

  static {
    CODECS.put("CrmChange", Codecs::crmChange);
    CODECS.put("KpiSnapshot", Codecs::kpiSnapshot);
    CODECS.put("AlertEvent", Codecs::alertEvent);
    CODECS.put("DeadLetter", Codecs::deadLetter);
    CODECS.put("GapEvent", Codecs::gapEvent);
  }

  static Stream<String> recordTypes() {
    return CODECS.keySet().stream();
  }

  static Stream<Arguments> releasedWriterSchemas() {
    List<Arguments> all = new ArrayList<>();
    for (String name : CODECS.keySet()) {
      List<Schema> released = CODECS.get(name).get().releasedSchemas();
      for (int i = 0; i < released.size(); i++) {
        all.add(Arguments.of(name, i + 1, released.get(i)));
      }
    }
    return all.stream();
  }

  // ---------------------------------------------------------------- every released writer schema

  @ParameterizedTest(name = "{0} v{1}")
  @MethodSource("releasedWriterSchemas")
  void recordWrittenWithReleasedSchemaIsReadByCurrentCodec(String name, int version, Schema writer)
      throws IOException {
    SingleObjectCodec<? extends SpecificRecordBase> codec = CODECS.get(name).get();
    GenericRecord written = (GenericRecord) nonDefaultValue(writer, "v" + version);
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(written).array();

    SpecificRecordBase read = codec.decode(bytes);

    Schema current = codec.currentSchema();
    for (Schema.Field field : current.getFields()) {
      Object actual = normalize(read.get(field.pos()));
      Schema.Field writerField = writer.getField(field.name());
      Object expected = writerField != null
          ? normalize(written.get(writerField.pos()))
          : normalize(GenericData.get().getDefaultValue(field));
      assertThat(actual).as("%s v%d field %s", name, version, field.name()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} v{1}")
  @MethodSource("releasedWriterSchemas")
  void currentSchemaCanReadEveryReleasedSchema(String name, int version, Schema writer) {
    Schema current = CODECS.get(name).get().currentSchema();
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
    assertThat(compatibility.getType())
        .as("%s v%d: %s", name, version, compatibility.getDescription())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
  }

  /** A generated value test: the fill really differs from the defaults, or the test proves little. */
  @ParameterizedTest(name = "{0} v{1}")
  @MethodSource("releasedWriterSchemas")
  void generatedRecordsUseNonDefaultValues(String name, int version, Schema writer) {
    GenericRecord written = (GenericRecord) nonDefaultValue(writer, "v" + version);
    for (Schema.Field field : writer.getFields()) {
      if (field.hasDefaultValue()) {
        assertThat(normalize(written.get(field.pos())))
            .as("%s.%s", name, field.name())
            .isNotEqualTo(normalize(GenericData.get().getDefaultValue(field)));
      }
    }
  }

  // ---------------------------------------------------------------- releases vs current schema

  @ParameterizedTest
  @MethodSource("recordTypes")
  void newestReleaseIsTheCurrentSchema(String name) throws IOException {
    SingleObjectCodec<? extends SpecificRecordBase> codec = CODECS.get(name).get();
    List<Schema> released = codec.releasedSchemas();
    assertThat(released).as("released versions of %s", name).isNotEmpty();
    Schema newest = released.get(released.size() - 1);

    // The generated class's schema carries avro.java.string properties, so compare with the source
    // .avsc for full equality (names, types, defaults, order) ...
    Schema source = new Schema.Parser().parse(
        Files.readString(Path.of("src/main/avro", name + ".avsc"), StandardCharsets.UTF_8));
    assertThat(newest)
        .as("src/main/avro/%s.avsc was changed without releasing it as released/%s/v%d.avsc",
            name, name, released.size() + 1)
        .isEqualTo(source);
    // ... and by fingerprint with the schema the codec writes, which is what readers look up.
    assertThat(SchemaNormalization.parsingFingerprint64(newest))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(codec.currentSchema()));
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void releasedVersionsAreNumberedWithoutGaps(String name) throws IOException, URISyntaxException {
    int loaded = CODECS.get(name).get().releasedSchemas().size();
    URL dir = SingleObjectCodec.class.getResource("/released/" + name);
    assertThat(dir).as("released/%s on the classpath", name).isNotNull();
    if (!"file".equals(dir.getProtocol())) {
      return; // running from a jar: the listing is not available, the loader test covers the rest
    }
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      List<String> expected = new ArrayList<>();
      for (int v = 1; v <= loaded; v++) {
        expected.add("v" + v + ".avsc");
      }
      // A gap (v1, v3) would make the loader silently stop at v1 and never know v3.
      assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void currentCodecRoundTripsEveryType() {
    KpiSnapshot kpi = KpiSnapshot.newBuilder().setMetric("pulse_open_deals").setKind(MetricKind.GAUGE)
        .setLabels(Map.of("team", "East")).setValue(null).setAsOf(5L).build();
    assertThat(Codecs.kpiSnapshot().decode(Codecs.kpiSnapshot().encode(kpi))).isEqualTo(kpi);

    AlertEvent alert = AlertEvent.newBuilder().setAlertName("DealStalled").setStatus(AlertStatus.RESOLVED)
        .setLabels(Map.of("team", "West")).setAnnotations(Map.of("summary", "s")).setStartsAt(1L).setEndsAt(2L)
        .build();
    assertThat(Codecs.alertEvent().decode(Codecs.alertEvent().encode(alert))).isEqualTo(alert);

    DeadLetter letter = DeadLetter.newBuilder().setReason("late").setDetail("d").setFormat("canonical")
        .setTopic("t").setPartition(3).setOffset(9L).setKey(ByteBuffer.wrap(new byte[] {1}))
        .setValue(ByteBuffer.wrap(new byte[] {2, 3})).setRecordTimestamp(7L).build();
    assertThat(Codecs.deadLetter().decode(Codecs.deadLetter().encode(letter))).isEqualTo(letter);
  }

  @Test
  void theGeneratedCodersWriteTheBytesOfAvrosOwnWriter() throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.STAGE, "Proposal");
    fields.put(CanonicalFields.AMOUNT, 12.5);
    fields.put(CanonicalFields.CONVERTED, true);
    fields.put(CanonicalFields.OWNER_ID, null);
    CrmChange change = CrmChange.newBuilder().setEventId("e1").setOrigin("test").setEntity(Entity.OPPORTUNITY).setRecordId("006A")
        .setChangeType(ChangeType.UPDATE).setCommitTime(42L).setSequence(3L).setFields(fields).build();
    KpiSnapshot kpi = KpiSnapshot.newBuilder().setMetric("pulse_open_deals").setKind(MetricKind.COUNTER)
        .setLabels(Map.of("team", "East", "stage", "Proposal")).setValue(3.0).setAsOf(5L).build();
    ByteBuffer reflective = new BinaryMessageEncoder<CrmChange>(new org.apache.avro.specific.SpecificData(),
        CrmChange.getClassSchema()).encode(change);
    assertThat(ByteBuffer.wrap(Codecs.crmChange().encode(change))).isEqualTo(reflective);
    assertThat(Codecs.crmChange().decode(Codecs.crmChange().encode(change))).isEqualTo(change);
    ByteBuffer reflectiveKpi = new BinaryMessageEncoder<KpiSnapshot>(new org.apache.avro.specific.SpecificData(),
        KpiSnapshot.getClassSchema()).encode(kpi);
    assertThat(ByteBuffer.wrap(Codecs.kpiSnapshot().encode(kpi))).isEqualTo(reflectiveKpi);
  }

  // ---------------------------------------------------------------- null vs absent fields

  @Test
  void nullAndAbsentFieldsOfACrmChangeSurviveARoundTrip() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(CanonicalFields.STAGE, null);          // set to null
    fields.put(CanonicalFields.AMOUNT, 1200.5);
    fields.put(CanonicalFields.CONVERTED, true);
    fields.put("count", 7L);
    fields.put(CanonicalFields.OWNER_ID, "005A");
    CrmChange change = CrmChange.newBuilder().setEventId("e-1").setOrigin("test").setEntity(Entity.OPPORTUNITY)
        .setRecordId("006A").setChangeType(ChangeType.UPDATE).setCommitTime(1_767_607_200_000L).setSequence(4L)
        .setFields(fields).build();
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();

    CrmChange read = codec.decode(codec.encode(change));

    assertThat(read).isEqualTo(change);
    assertThat(read.getFields()).containsKey(CanonicalFields.STAGE);
    assertThat(read.getFields().get(CanonicalFields.STAGE)).isNull();
    assertThat(read.getFields()).doesNotContainKey(CanonicalFields.PROBABILITY);
    assertThat(read.getFields().get(CanonicalFields.AMOUNT)).isEqualTo(1200.5);
    assertThat(read.getFields().get(CanonicalFields.CONVERTED)).isEqualTo(Boolean.TRUE);
    assertThat(read.getFields().get("count")).isEqualTo(7L);
    // stringType=String: map keys and text values are java.lang.String, not Utf8
    assertThat(read.getFields().get(CanonicalFields.OWNER_ID)).isInstanceOf(String.class).isEqualTo("005A");
    assertThat(read.getFields().keySet()).allSatisfy(k -> assertThat(k).isInstanceOf(String.class));
  }

  @Test
  void crmChangeWrittenWithReleasedV1KeepsNullVersusAbsent() throws IOException {
    Schema v1 = Codecs.crmChange().releasedSchemas().get(0);
    GenericRecord record = new GenericData.Record(v1);
    record.put("eventId", "e-9");
    record.put("origin", "salesforce");
    record.put("entity", new GenericData.EnumSymbol(v1.getField("entity").schema(), "USER"));
    record.put("recordId", "005X");
    record.put("changeType", new GenericData.EnumSymbol(v1.getField("changeType").schema(), "UNDELETE"));
    record.put("commitTime", 1_767_607_200_123L);
    record.put("sequence", 12L);
    Map<String, Object> fields = new HashMap<>();
    fields.put("team", null);
    fields.put("active", false);
    record.put("fields", fields);
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record).array();

    CrmChange read = Codecs.crmChange().decode(bytes);

    assertThat(read.getEntity()).isEqualTo(Entity.USER);
    assertThat(read.getChangeType()).isEqualTo(ChangeType.UNDELETE);
    assertThat(read.getCommitTime()).isEqualTo(1_767_607_200_123L);
    assertThat(read.getSequence()).isEqualTo(12L);
    assertThat(read.getFields()).containsOnlyKeys("team", "active");
    assertThat(read.getFields().get("team")).isNull();
    assertThat(read.getFields().get("active")).isEqualTo(false);
  }

  // ---------------------------------------------------------------- undecodable input

  @ParameterizedTest
  @MethodSource("recordTypes")
  void garbageIsUndecodable(String name) {
    SingleObjectCodec<? extends SpecificRecordBase> codec = CODECS.get(name).get();
    for (byte[] garbage : List.of(
        "{\"eventId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8),
        new byte[0],
        new byte[] {(byte) 0xC3},
        new byte[] {(byte) 0xC3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8})) {
      assertThatThrownBy(() -> codec.decode(garbage))
          .as("%s from %s", name, Arrays.toString(garbage))
          .isInstanceOfSatisfying(UndecodableRecordException.class,
              e -> assertThat(e.reason()).isEqualTo("undecodable"));
    }
    assertThatThrownBy(() -> codec.decode(null))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo("undecodable"));
  }

  @Test
  void validHeaderWithCorruptBodyIsUndecodable() {
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    CrmChange change = CrmChange.newBuilder().setEventId("e-1").setOrigin("o").setEntity(Entity.LEAD)
        .setRecordId("00Q1").setChangeType(ChangeType.CREATE).setCommitTime(1_767_607_200_000L)
        .setFields(Map.of("status", "Open")).build();
    byte[] bytes = codec.encode(change);

    byte[] truncated = Arrays.copyOf(bytes, 14);
    assertThatThrownBy(() -> codec.decode(truncated))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo("undecodable"));

    byte[] badEnum = bytes.clone();
    // body: eventId (len 1 + "e-1"), origin (len + "o"), then the entity enum index
    int entityIndex = 10 + 4 + 2;
    badEnum[entityIndex] = 0x7E; // zig-zag 63: no such Entity symbol
    assertThatThrownBy(() -> codec.decode(badEnum))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo("undecodable"));
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void validHeaderWithUnknownFingerprintIsUnknownSchema(String name) {
    SingleObjectCodec<? extends SpecificRecordBase> codec = CODECS.get(name).get();
    Schema other = Schema.createRecord(name, null, "io.pipelinepulse.schema", false,
        List.of(new Schema.Field("somethingElse", Schema.create(Schema.Type.STRING))));
    GenericRecord record = new GenericData.Record(other);
    record.put("somethingElse", "x");
    byte[] bytes;
    try {
      bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(record).array();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo("unknown-schema"));
  }

  @Test
  void recordOfAnotherTypeIsUnknownSchema() {
    KpiSnapshot kpi = KpiSnapshot.newBuilder().setMetric("m").setKind(MetricKind.COUNTER).setValue(1.0)
        .setAsOf(1L).build();
    byte[] bytes = Codecs.kpiSnapshot().encode(kpi);
    assertThatThrownBy(() -> Codecs.crmChange().decode(bytes))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo("unknown-schema"));
  }

  // ---------------------------------------------------------------- helpers

  /** A value of the schema that differs from any default (enums: the last symbol, unions: non-null). */
  static Object nonDefaultValue(Schema schema, String salt) {
    switch (schema.getType()) {
      case RECORD: {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), nonDefaultValue(field.schema(), salt + "-" + field.name()));
        }
        return record;
      }
      case ENUM: {
        List<String> symbols = schema.getEnumSymbols();
        return new GenericData.EnumSymbol(schema, symbols.get(symbols.size() - 1));
      }
      case MAP: {
        Map<String, Object> map = new LinkedHashMap<>();
        Schema values = schema.getValueType();
        if (values.getType() == Schema.Type.UNION) {
          // one entry per branch, null included: a map of union must keep every kind of value
          int i = 0;
          for (Schema branch : values.getTypes()) {
            map.put("k" + i++ + "-" + branch.getType().getName(),
                branch.getType() == Schema.Type.NULL ? null : nonDefaultValue(branch, salt + i));
          }
        } else {
          map.put("a-" + salt, nonDefaultValue(values, salt + "-a"));
          map.put("b-" + salt, nonDefaultValue(values, salt + "-b"));
        }
        return map;
      }
      case ARRAY:
        return new GenericData.Array<>(schema, List.of(nonDefaultValue(schema.getElementType(), salt)));
      case UNION: {
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            return nonDefaultValue(branch, salt);
          }
        }
        return null;
      }
      case STRING:
        return "s-" + salt;
      case BYTES:
        return ByteBuffer.wrap(("b-" + salt).getBytes(StandardCharsets.UTF_8));
      case FIXED:
        return new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
      case INT:
        return 40_000 + Math.abs(salt.hashCode() % 1000);
      case LONG:
        return 1_767_607_200_000L + Math.abs(salt.hashCode() % 100_000);
      case FLOAT:
        return 2.5f;
      case DOUBLE:
        return 1234.75 + Math.abs(salt.hashCode() % 100);
      case BOOLEAN:
        return true;
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("unsupported schema type " + schema.getType());
    }
  }

  /** Generic and specific values in one comparable form. */
  static Object normalize(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return "bytes:" + Arrays.toString(bytes);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> normalized = new TreeMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        normalized.put(entry.getKey().toString(), normalize(entry.getValue()));
      }
      return normalized;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ReleasedSchemaCompatibilityTest::normalize).toList();
    }
    if (value instanceof GenericRecord record) {
      Map<String, Object> normalized = new TreeMap<>();
      for (Schema.Field field : record.getSchema().getFields()) {
        normalized.put(field.name(), normalize(record.get(field.pos())));
      }
      return normalized;
    }
    return value;
  }
}
