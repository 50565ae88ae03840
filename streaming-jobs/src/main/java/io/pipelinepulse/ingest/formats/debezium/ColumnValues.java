package io.pipelinepulse.ingest.formats.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipelinepulse.schema.codec.CanonicalFields;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;

/** A column's value as the canonical field it maps to expects it. */
final class ColumnValues {

  private static final Set<String> NUMBERS = Set.of(CanonicalFields.AMOUNT, CanonicalFields.PROBABILITY);
  private static final Set<String> FLAGS = Set.of(CanonicalFields.CONVERTED, CanonicalFields.ACTIVE);
  private static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
  private static final String VARIABLE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

  private ColumnValues() {}

  static Object convert(String field, JsonNode value, JsonNode type) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (NUMBERS.contains(field)) {
      return number(field, value, type);
    }
    if (FLAGS.contains(field)) {
      return flag(field, value);
    }
    if (field.equals(CanonicalFields.CLOSE_DATE)) {
      return date(value, type);
    }
    if (value.isContainerNode()) {
      throw invalid(field + " must be a text, not " + value);
    }
    return value.asText();
  }

  private static double number(String field, JsonNode value, JsonNode type) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    String name = type.path("name").asText();
    if (value.isObject() && (name.equals(VARIABLE_DECIMAL) || value.has("scale"))) {
      return decimal(value.path("value").asText(), value.path("scale").asInt());
    }
    if (value.isTextual() && name.equals(DECIMAL)) {
      return decimal(value.asText(), type.path("parameters").path("scale").asInt(0));
    }
    if (value.isTextual()) {
      try {
        return Double.parseDouble(value.asText().trim());
      } catch (NumberFormatException e) {
        throw invalid(field + " '" + value.asText() + "' is not a number (a decimal column without the schema "
            + "embedded needs decimal.handling.mode double or string)");
      }
    }
    throw invalid(field + " must be a number, not " + value);
  }

  /** Connect's decimal: the unscaled value's two's-complement bytes, base64-encoded. */
  private static double decimal(String base64, int scale) {
    try {
      return new BigDecimal(new BigInteger(Base64.getDecoder().decode(base64)), scale).doubleValue();
    } catch (IllegalArgumentException e) {
      throw invalid("decimal '" + base64 + "' is not base64");
    }
  }

  private static boolean flag(String field, JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    String text = value.asText().trim().toLowerCase();
    return switch (text) {
      case "true", "t", "1", "yes" -> true;
      case "false", "f", "0", "no" -> false;
      default -> throw invalid(field + " '" + value.asText() + "' is not true or false");
    };
  }

  /** A date column: Debezium's days since 1970, a timestamp in ms or µs, or ISO text. */
  private static String date(JsonNode value, JsonNode type) {
    if (value.isIntegralNumber()) {
      long number = value.asLong();
      String name = type.path("name").asText();
      if (name.endsWith("MicroTimestamp")) {
        return utcDate(number / 1000);
      }
      if (name.endsWith("NanoTimestamp")) {
        return utcDate(number / 1_000_000);
      }
      if (name.endsWith(".Timestamp")) {
        return utcDate(number);
      }
      // without a schema: days (io.debezium.time.Date) are small, milliseconds large
      if (name.endsWith(".Date") || Math.abs(number) < 1_000_000) {
        return LocalDate.ofEpochDay(number).toString();
      }
      return utcDate(Math.abs(number) < 100_000_000_000_000L ? number : number / 1000);
    }
    String text = value.asText().trim();
    if (text.length() >= 10 && text.substring(0, 10).matches("\\d{4}-\\d{2}-\\d{2}")) {
      return text.substring(0, 10);
    }
    throw invalid("closeDate '" + text + "' is neither a date nor a timestamp");
  }

  private static String utcDate(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static UndecodableRecordException invalid(String detail) {
    return new UndecodableRecordException("invalid-value", detail);
  }
}
