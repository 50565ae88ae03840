package io.pipelinepulse.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

  private static final long T = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

  @Test
  void parsesTheDocumentedExample() {
    CrmChange change = CanonicalJson.parse("{\"eventId\":\"e-1\",\"origin\":\"crm\",\"entity\":\"opportunity\","
        + "\"recordId\":\"006A\",\"changeType\":\"update\",\"commitTime\":\"2026-01-05T10:00:00Z\","
        + "\"fields\":{\"stage\":\"Qualification\",\"amount\":1200.0}}");

    assertThat(change.getEventId()).isEqualTo("e-1");
    assertThat(change.getOrigin()).isEqualTo("crm");
    assertThat(change.getEntity()).isEqualTo(Entity.OPPORTUNITY);
    assertThat(change.getRecordId()).isEqualTo("006A");
    assertThat(change.getChangeType()).isEqualTo(ChangeType.UPDATE);
    assertThat(change.getCommitTime()).isEqualTo(T);
    assertThat(change.getSequence()).isZero();
    assertThat(change.getFields()).containsExactly(
        Map.entry("stage", "Qualification"), Map.entry("amount", 1200.0));
  }

  @Test
  void formatThenParseGivesTheSameChange() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("stage", "Needs Analysis");
    fields.put("amount", 1500.0);
    fields.put("wholeAmount", 2000.0); // a double without fraction must stay a double
    fields.put("count", 3L);
    fields.put("converted", false);
    fields.put("closeDate", null);
    CrmChange change = CrmChange.newBuilder().setEventId("sf:1").setOrigin("salesforce")
        .setEntity(Entity.OPPORTUNITY).setRecordId("006B").setChangeType(ChangeType.UNDELETE)
        .setCommitTime(T + 123).setSequence(7).setFields(fields).build();

    String line = CanonicalJson.format(change);
    CrmChange parsed = CanonicalJson.parse(line);

    assertThat(parsed).isEqualTo(change);
    assertThat(parsed.getFields().get("wholeAmount")).isInstanceOf(Double.class);
    assertThat(parsed.getFields().get("count")).isInstanceOf(Long.class);
    assertThat(parsed.getFields()).containsKey("closeDate");
    assertThat(parsed.getFields().get("closeDate")).isNull();
    assertThat(line).contains("\"commitTime\":\"2026-01-05T10:00:00.123Z\"").contains("\"entity\":\"opportunity\"")
        .contains("\"changeType\":\"undelete\"").contains("\"sequence\":7");
  }

  @Test
  void formatOmitsSequenceZeroAndParseDefaultsIt() {
    CrmChange change = CanonicalJson.parse(
        "{\"entity\":\"lead\",\"recordId\":\"00Q1\",\"changeType\":\"create\",\"commitTime\":" + T + "}");
    String line = CanonicalJson.format(change);
    assertThat(line).doesNotContain("sequence");
    assertThat(CanonicalJson.parse(line)).isEqualTo(change);
  }

  @Test
  void commitTimeIsIsoOrEpochMillis() {
    String iso = "{\"entity\":\"lead\",\"recordId\":\"00Q1\",\"changeType\":\"create\","
        + "\"commitTime\":\"2026-01-05T10:00:00.250Z\"}";
    String millis = "{\"entity\":\"lead\",\"recordId\":\"00Q1\",\"changeType\":\"create\","
        + "\"commitTime\":" + (T + 250) + "}";
    String offset = "{\"entity\":\"lead\",\"recordId\":\"00Q1\",\"changeType\":\"create\","
        + "\"commitTime\":\"2026-01-05T11:00:00.250+01:00\"}";
    assertThat(CanonicalJson.parse(iso).getCommitTime()).isEqualTo(T + 250);
    assertThat(CanonicalJson.parse(millis).getCommitTime()).isEqualTo(T + 250);
    assertThat(CanonicalJson.parse(offset).getCommitTime()).isEqualTo(T + 250);
  }

  @Test
  void missingEventIdIsDerivedStablyFromContent() {
    String line = "{\"origin\":\"hubspot\",\"entity\":\"Opportunity\",\"recordId\":\"42\",\"changeType\":\"UPDATE\","
        + "\"commitTime\":\"2026-01-05T10:00:00Z\",\"sequence\":3,\"fields\":{\"stage\":\"Prospecting\"}}";
    CrmChange first = CanonicalJson.parse(line);
    CrmChange again = CanonicalJson.parse(line);

    assertThat(first.getEventId()).isEqualTo("hubspot:opportunity:42:" + T + ":3");
    assertThat(again.getEventId()).isEqualTo(first.getEventId());
    // the same instant written as epoch millis is the same change
    assertThat(CanonicalJson.parse(line.replace("\"2026-01-05T10:00:00Z\"", Long.toString(T))).getEventId())
        .isEqualTo(first.getEventId());
    // another record, time or sequence is another change
    assertThat(CanonicalJson.parse(line.replace("\"42\"", "\"43\"")).getEventId()).isNotEqualTo(first.getEventId());
    assertThat(CanonicalJson.parse(line.replace("\"sequence\":3", "\"sequence\":4")).getEventId())
        .isNotEqualTo(first.getEventId());
    assertThat(CanonicalJson.parse(line.replace("10:00:00Z", "10:00:01Z")).getEventId())
        .isNotEqualTo(first.getEventId());
  }

  @Test
  void originDefaultsToJsonAndEventIdUsesIt() {
    CrmChange change = CanonicalJson.parse(
        "{\"entity\":\"user\",\"recordId\":\"005A\",\"changeType\":\"delete\",\"commitTime\":" + T + "}");
    assertThat(change.getOrigin()).isEqualTo("json");
    assertThat(change.getEventId()).isEqualTo("json:user:005A:" + T + ":0");
    assertThat(change.getFields()).isEmpty();
  }

  @Test
  void explicitNullFieldIsKeptAndAbsentFieldIsNot() {
    CrmChange change = CanonicalJson.parse("{\"entity\":\"opportunity\",\"recordId\":\"006A\","
        + "\"changeType\":\"update\",\"commitTime\":" + T + ",\"fields\":{\"closeDate\":null}}");
    assertThat(change.getFields()).containsOnlyKeys("closeDate");
    assertThat(change.getFields().get("closeDate")).isNull();
  }

  // ---------------------------------------------------------------- rejections

  @ParameterizedTest
  @ValueSource(strings = {"not json at all", "{\"entity\":", "{'entity':'lead'}"})
  void rejectsTextThatIsNotJson(String line) {
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"text\"", "42", ""})
  void rejectsJsonThatIsNotAnObject(String line) {
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ",\"recordId\":null", ",\"recordId\":\"  \""})
  void rejectsMissingRecordId(String recordId) {
    String line = "{\"entity\":\"lead\",\"changeType\":\"create\",\"commitTime\":" + T + recordId + "}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing recordId");
  }

  @Test
  void rejectsRecordIdThatIsAnObject() {
    String line = "{\"entity\":\"lead\",\"changeType\":\"create\",\"commitTime\":" + T + ",\"recordId\":{\"id\":1}}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recordId");
  }

  @Test
  void recordIdThatIsAnObjectIsReportedAsNotAString() {
    String line = "{\"entity\":\"lead\",\"changeType\":\"create\",\"commitTime\":" + T + ",\"recordId\":{\"id\":1}}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recordId must be a string");
  }

  @Test
  void rejectsUnknownEntity() {
    String line = "{\"entity\":\"account\",\"recordId\":\"001\",\"changeType\":\"create\",\"commitTime\":" + T + "}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity 'account' is not one of [lead, opportunity, activity, user]");
  }

  @Test
  void rejectsMissingEntityAndUnknownChangeType() {
    assertThatThrownBy(() -> CanonicalJson.parse(
        "{\"recordId\":\"001\",\"changeType\":\"create\",\"commitTime\":" + T + "}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing entity");
    assertThatThrownBy(() -> CanonicalJson.parse(
        "{\"entity\":\"lead\",\"recordId\":\"001\",\"changeType\":\"merge\",\"commitTime\":" + T + "}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("changeType 'merge' is not one of [create, update, delete, undelete]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"yesterday\"|commitTime 'yesterday' is neither an ISO-8601 instant nor epoch milliseconds",
      "\"2026-01-05 10:00:00\"|commitTime '2026-01-05 10:00:00' is neither an ISO-8601 instant nor epoch milliseconds",
      "\"2026-01-05\"|commitTime '2026-01-05' is neither an ISO-8601 instant nor epoch milliseconds",
      "1.5e12|commitTime '1.5E12' is neither an ISO-8601 instant nor epoch milliseconds",
      "null|missing commitTime"})
  void rejectsBadCommitTime(String commitTime, String message) {
    String line = "{\"entity\":\"lead\",\"recordId\":\"001\",\"changeType\":\"create\",\"commitTime\":"
        + commitTime + "}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsMissingCommitTime() {
    assertThatThrownBy(() -> CanonicalJson.parse("{\"entity\":\"lead\",\"recordId\":\"001\",\"changeType\":\"create\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing commitTime");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"value\":1}", "[1,2]"})
  void rejectsStructuredFieldValue(String value) {
    String line = "{\"entity\":\"opportunity\",\"recordId\":\"006A\",\"changeType\":\"update\",\"commitTime\":" + T
        + ",\"fields\":{\"stage\":\"Prospecting\",\"amount\":" + value + "}}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field amount must be a string, number, boolean or null");
  }

  @Test
  void rejectsFieldsThatAreNotAnObject() {
    String line = "{\"entity\":\"opportunity\",\"recordId\":\"006A\",\"changeType\":\"update\",\"commitTime\":" + T
        + ",\"fields\":[\"stage\"]}";
    assertThatThrownBy(() -> CanonicalJson.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fields must be a JSON object");
  }
}
