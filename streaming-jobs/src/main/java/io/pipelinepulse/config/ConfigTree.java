package io.pipelinepulse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node of the merged YAML configuration that knows its own key, so errors can name it. */
final class ConfigTree {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Longer durations are typos; this bound also keeps millisecond arithmetic from overflowing. */
  private static final Duration MAX_DURATION = Duration.ofDays(3650);

  private final String path;
  private final JsonNode node;

  ConfigTree(String path, JsonNode node) {
    this.path = path;
    this.node = node;
  }

  String path() {
    return path;
  }

  ConfigTree child(String name) {
    JsonNode child = node == null ? null : node.get(name);
    return new ConfigTree(path.isEmpty() ? name : path + "." + name, child);
  }

  boolean isPresent() {
    return node != null && !node.isNull();
  }

  /** Fails on keys this object may not have, to catch typos that would silently use a default. */
  ConfigTree allowOnly(Set<String> names) {
    if (node != null && node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!names.contains(name)) {
          throw new ConfigException(child(name).path, "unknown key (known here: " + String.join(", ", names) + ")");
        }
      }
    }
    return this;
  }

  String text() {
    JsonNode value = required();
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new ConfigException(path, "must be a non-empty text");
    }
    return value.asText().trim();
  }

  /** The text, or "" when the key is absent, null or blank: for settings that may be switched off. */
  String textOrEmpty() {
    if (!isPresent() || (node.isValueNode() && node.asText().isBlank())) {
      return "";
    }
    return text();
  }

  String textOr(String fallback) {
    return isPresent() ? text() : fallback;
  }

  boolean bool() {
    JsonNode value = required();
    if (!value.isBoolean()) {
      throw new ConfigException(path, "'" + value.asText() + "' is not true or false");
    }
    return value.asBoolean();
  }

  int integer(int min, int max) {
    JsonNode value = required();
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new ConfigException(path, "'" + value.asText() + "' is not a whole number");
    }
    int result = value.asInt();
    if (result < min || result > max) {
      throw new ConfigException(path, result + " is out of range " + min + ".." + max);
    }
    return result;
  }

  double positiveNumber() {
    JsonNode value = required();
    if (!value.isNumber() || !(value.asDouble() > 0) || Double.isInfinite(value.asDouble())) {
      throw new ConfigException(path, "'" + value.asText() + "' is not a positive number");
    }
    return value.asDouble();
  }

  LocalDate date() {
    String text = required().asText().trim();
    try {
      return LocalDate.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigException(path, "'" + text + "' is not a date (write e.g. 2999-12-31)");
    }
  }

  Duration duration() {
    String text = required().asText().trim();
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new ConfigException(path, "'" + text + "' is not a duration (write e.g. 500ms, 90s, 5m, 2h, 7d)");
    }
    Duration result;
    try {
      long amount = Long.parseLong(m.group(1));
      result = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(path, "'" + text + "' is longer than " + MAX_DURATION.toDays() + " days");
    }
    if (result.isZero()) {
      throw new ConfigException(path, "must be longer than zero");
    }
    if (result.compareTo(MAX_DURATION) > 0) {
      throw new ConfigException(path, "'" + text + "' is longer than " + MAX_DURATION.toDays() + " days");
    }
    return result;
  }

  List<ConfigTree> list() {
    JsonNode value = required();
    if (!value.isArray()) {
      throw new ConfigException(path, "must be a list");
    }
    List<ConfigTree> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      items.add(new ConfigTree(path + "[" + i + "]", value.get(i)));
    }
    return items;
  }

  List<String> textList() {
    List<String> texts = new ArrayList<>();
    for (ConfigTree item : list()) {
      texts.add(item.text());
    }
    return texts;
  }

  Map<String, ConfigTree> entries() {
    JsonNode value = required();
    if (!value.isObject()) {
      throw new ConfigException(path, "must be a map of keys to values");
    }
    Map<String, ConfigTree> entries = new LinkedHashMap<>();
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      entries.put(name, child(name));
    }
    return entries;
  }

  private JsonNode required() {
    if (!isPresent()) {
      throw new ConfigException(path, "is missing");
    }
    return node;
  }

  /** Deep-merges {@code override} into {@code base}: maps key by key, anything else replaced. */
  static void merge(ObjectNode base, JsonNode override) {
    for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode existing = base.get(entry.getKey());
      if (existing instanceof ObjectNode existingObject && entry.getValue().isObject()) {
        merge(existingObject, entry.getValue());
      } else {
        base.set(entry.getKey(), entry.getValue());
      }
    }
  }
}
