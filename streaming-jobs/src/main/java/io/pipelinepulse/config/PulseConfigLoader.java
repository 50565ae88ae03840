package io.pipelinepulse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.config.PulseConfig.ClockSettings;
import io.pipelinepulse.config.PulseConfig.DirectoryEntry;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig.InputTopic;
import io.pipelinepulse.config.PulseConfig.JobSettings;
import io.pipelinepulse.config.PulseConfig.KafkaSettings;
import io.pipelinepulse.config.PulseConfig.MetricsSettings;
import io.pipelinepulse.config.PulseConfig.StartingOffsets;
import io.pipelinepulse.config.PulseConfig.UserDirectory;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalFields;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the defaults, merges the user's file over them and validates the result. */
public final class PulseConfigLoader {

  private static final String DEFAULTS = "/pulse-defaults.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> CANONICAL_FIELDS = Set.of(CanonicalFields.STAGE, CanonicalFields.PIPELINE,
      CanonicalFields.AMOUNT, CanonicalFields.CURRENCY, CanonicalFields.CLOSE_DATE, CanonicalFields.PROBABILITY,
      CanonicalFields.OWNER_ID, CanonicalFields.LEAD_SOURCE, CanonicalFields.NAME, CanonicalFields.STATUS,
      CanonicalFields.CONVERTED, CanonicalFields.CONVERTED_OPPORTUNITY_ID, CanonicalFields.ACTIVITY_TYPE,
      CanonicalFields.LEAD_ID, CanonicalFields.OPPORTUNITY_ID, CanonicalFields.TEAM, CanonicalFields.MANAGER_ID,
      CanonicalFields.EMAIL, CanonicalFields.ACTIVE, CanonicalFields.COMPANY);

  private PulseConfigLoader() {}

  /** The defaults alone. */
  public static PulseConfig defaults() {
    return bind(readDefaults());
  }

  /** The defaults with the user's file merged over them; {@code userFile} may be null. */
  public static PulseConfig load(Path userFile) {
    return load(userFile == null ? List.of() : List.of(userFile));
  }

  /** The defaults with each file merged over them in turn: a later file wins. */
  public static PulseConfig load(List<Path> userFiles) {
    ObjectNode merged = readDefaults();
    for (Path userFile : userFiles) {
      mergeFile(merged, userFile);
    }
    return bind(merged);
  }

  private static void mergeFile(ObjectNode merged, Path userFile) {
    if (!Files.isReadable(userFile)) {
      throw new ConfigException("--config", "cannot read " + userFile.toAbsolutePath());
    }
    try {
      JsonNode user = YAML.readTree(userFile.toFile());
      if (user != null && !user.isNull() && !user.isMissingNode()) {
        if (!user.isObject()) {
          throw new ConfigException("(root)", userFile + " must hold a map of keys");
        }
        ConfigTree.merge(merged, user);
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException("(file)", userFile + " is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + userFile + ": " + e.getMessage());
    }
  }

  /** The defaults with each YAML text merged over them in turn (for tests and embedding). */
  public static PulseConfig fromYaml(String... yamlLayers) {
    ObjectNode merged = readDefaults();
    for (String layer : yamlLayers) {
      try {
        JsonNode user = YAML.readTree(layer);
        if (user != null && !user.isNull() && !user.isMissingNode()) {
          if (!user.isObject()) {
            throw new ConfigException("(root)", "the configuration must hold a map of keys");
          }
          ConfigTree.merge(merged, user);
        }
      } catch (JsonProcessingException e) {
        throw new ConfigException("(yaml)", "not valid YAML: " + e.getOriginalMessage());
      }
    }
    return bind(merged);
  }

  private static ObjectNode readDefaults() {
    try (InputStream in = PulseConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the built-in defaults " + DEFAULTS + " cannot be read", e);
    }
  }

  static PulseConfig bind(ObjectNode merged) {
    ConfigTree root = new ConfigTree("", merged)
        .allowOnly(Set.of("kafka", "clock", "input", "dead-letter", "dedup", "job", "metrics", "reporting", "default-pipeline",
            "pipelines", "deals", "leads", "directory", "alerts", "debezium", "salesforce",
            "hubspot"));
    PipelineCatalog pipelines = pipelines(root);
    return new PulseConfig(
        kafka(root.child("kafka")),
        clock(root.child("clock")),
        input(root.child("input")),
        deadLetters(root.child("dead-letter")),
        root.child("dedup").allowOnly(Set.of("retention")).child("retention").duration(),
        job(root.child("job")),
        metrics(root.child("metrics")),
        currency(root.child("reporting")),
        pipelines,
        deals(root.child("deals"), pipelines),
        leads(root.child("leads")),
        directory(root.child("directory")),
        alerts(root.child("alerts")),
        debezium(root.child("debezium")),
        salesforce(root.child("salesforce")),
        hubspot(root.child("hubspot"), pipelines));
  }

  private static PulseConfig.HubSpotSettings hubspot(ConfigTree hubspot, PipelineCatalog catalog) {
    hubspot.allowOnly(Set.of("pipelines", "lead-statuses", "converted-lifecycle-stages"));
    Map<String, String> pipelines = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigTree> entry : hubspot.child("pipelines").entries().entrySet()) {
      String pipeline = entry.getValue().text();
      if (!catalog.pipelines().containsKey(pipeline)) {
        throw new ConfigException(entry.getValue().path(), "'" + pipeline + "' is not one of pipelines "
            + new java.util.TreeSet<>(catalog.pipelines().keySet()));
      }
      pipelines.put(entry.getKey(), pipeline);
    }
    Map<String, String> statuses = new LinkedHashMap<>();
    hubspot.child("lead-statuses").entries().forEach((value, status) -> statuses.put(value, status.text()));
    return new PulseConfig.HubSpotSettings(Map.copyOf(pipelines), Map.copyOf(statuses),
        List.copyOf(hubspot.child("converted-lifecycle-stages").textList()));
  }

  private static PulseConfig.SalesforceSettings salesforce(ConfigTree salesforce) {
    salesforce.allowOnly(Set.of("user-team-field"));
    String field = salesforce.child("user-team-field").text();
    if (!field.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new ConfigException(salesforce.child("user-team-field").path(), "'" + field + "' is not a Salesforce field name");
    }
    return new PulseConfig.SalesforceSettings(field);
  }

  private static DebeziumTables debezium(ConfigTree debezium) {
    debezium.allowOnly(Set.of("tables"));
    Map<String, DebeziumTables.Table> tables = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigTree> entry : debezium.child("tables").entries().entrySet()) {
      ConfigTree table = entry.getValue().allowOnly(Set.of("entity", "id", "columns"));
      String entityName = table.child("entity").text();
      Entity entity = Arrays.stream(Entity.values())
          .filter(e -> e.name().equalsIgnoreCase(entityName)).findFirst()
          .orElseThrow(() -> new ConfigException(table.child("entity").path(),
              "'" + entityName + "' is not one of lead, opportunity, activity, user"));
      Map<String, String> columns = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigTree> column : table.child("columns").entries().entrySet()) {
        String field = column.getValue().text();
        if (!CANONICAL_FIELDS.contains(field)) {
          throw new ConfigException(column.getValue().path(), "'" + field + "' is not a canonical field (one of "
              + String.join(", ", new java.util.TreeSet<>(CANONICAL_FIELDS)) + ")");
        }
        columns.put(column.getKey(), field);
      }
      tables.put(entry.getKey(), new DebeziumTables.Table(entity, table.child("id").text(), Map.copyOf(columns)));
    }
    return new DebeziumTables(Map.copyOf(tables));
  }

  private static AlertSettings alerts(ConfigTree alerts) {
    alerts.allowOnly(Set.of("alertmanager-url", "record-url", "runbook-url", "repeat-interval", "live-within",
        "include-names"));
    ConfigTree url = alerts.child("alertmanager-url");
    String alertmanager = url.textOrEmpty();
    if (!alertmanager.isEmpty() && !alertmanager.matches("https?://[^/\\s]+(/\\S*)?")) {
      throw new ConfigException(url.path(), "'" + alertmanager + "' is not an http:// or https:// URL (or empty: no posting)");
    }
    String recordUrl = alerts.child("record-url").text();
    if (!recordUrl.contains("{id}")) {
      throw new ConfigException(alerts.child("record-url").path(), "must contain {id}, where the record id goes");
    }
    Duration repeat = alerts.child("repeat-interval").duration();
    if (repeat.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(alerts.child("repeat-interval").path(), "must be at least 1s");
    }
    return new AlertSettings(alertmanager.replaceAll("/+$", ""), recordUrl, alerts.child("runbook-url").text(), repeat,
        alerts.child("live-within").duration(), alerts.child("include-names").bool());
  }

  private static KafkaSettings kafka(ConfigTree kafka) {
    kafka.allowOnly(Set.of("bootstrap-servers", "group-id", "starting-offsets", "inputs", "topics", "create-topics",
        "new-topics"));
    ConfigTree topics = kafka.child("topics").allowOnly(Set.of("kpi", "alerts", "dead-letter", "reconciliation"));
    List<InputTopic> inputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigTree input : kafka.child("inputs").list()) {
      input.allowOnly(Set.of("topic", "format"));
      String topic = input.child("topic").text();
      if (!seen.add(topic)) {
        throw new ConfigException(input.child("topic").path(), "topic " + topic + " is listed twice");
      }
      String formatName = input.child("format").text();
      InputFormat format = InputFormat.byConfigName(formatName);
      if (format == null) {
        throw new ConfigException(input.child("format").path(), "unknown format '" + formatName + "' (supported: "
            + String.join(", ", Arrays.stream(InputFormat.values()).map(InputFormat::configName).toList()) + ")");
      }
      inputs.add(new InputTopic(topic, format));
    }
    if (inputs.isEmpty()) {
      throw new ConfigException(kafka.child("inputs").path(), "needs at least one input topic");
    }
    for (String output : List.of("kpi", "alerts", "dead-letter", "reconciliation")) {
      if (seen.contains(topics.child(output).text())) {
        // the job would read its own output as CRM changes
        throw new ConfigException(topics.child(output).path(), "topic " + topics.child(output).text()
            + " is also an input topic (kafka.inputs)");
      }
    }
    String offsets = kafka.child("starting-offsets").text();
    StartingOffsets startingOffsets;
    try {
      startingOffsets = StartingOffsets.valueOf(offsets.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(kafka.child("starting-offsets").path(),
          "'" + offsets + "' is not one of earliest, latest, committed");
    }
    return new KafkaSettings(
        kafka.child("bootstrap-servers").text(),
        kafka.child("group-id").text(),
        startingOffsets,
        List.copyOf(inputs),
        topics.child("kpi").text(),
        topics.child("alerts").text(),
        topics.child("dead-letter").text(),
        topics.child("reconciliation").text(),
        kafka.child("create-topics").bool(),
        newTopics(kafka.child("new-topics")));
  }

  private static PulseConfig.NewTopicSettings newTopics(ConfigTree newTopics) {
    newTopics.allowOnly(Set.of("replication-factor", "inputs", "kpi", "alerts", "dead-letter", "reconciliation"));
    int replication = newTopics.child("replication-factor").integer(-1, Short.MAX_VALUE);
    if (replication == 0) {
      throw new ConfigException(newTopics.child("replication-factor").path(),
          "must be at least 1, or -1 for the broker's default.replication.factor");
    }
    return new PulseConfig.NewTopicSettings(replication, topicLayout(newTopics.child("inputs")),
        topicLayout(newTopics.child("kpi")), topicLayout(newTopics.child("alerts")),
        topicLayout(newTopics.child("dead-letter")), topicLayout(newTopics.child("reconciliation")));
  }

  private static PulseConfig.TopicLayout topicLayout(ConfigTree layout) {
    layout.allowOnly(Set.of("partitions", "configs"));
    Map<String, String> configs = new LinkedHashMap<>();
    ConfigTree configTree = layout.child("configs");
    if (configTree.isPresent()) {
      for (Map.Entry<String, ConfigTree> entry : configTree.entries().entrySet()) {
        if (!entry.getKey().matches("[a-z][a-z0-9]*([.-][a-z0-9]+)*")) {
          throw new ConfigException(entry.getValue().path(), "'" + entry.getKey() + "' is not a Kafka topic config name");
        }
        configs.put(entry.getKey(), entry.getValue().text());
      }
    }
    return new PulseConfig.TopicLayout(layout.child("partitions").integer(1, 100_000), Map.copyOf(configs));
  }

  private static ClockSettings clock(ConfigTree clock) {
    clock.allowOnly(Set.of("out-of-orderness", "idle-timeout", "backlog-idle-timeout", "current-state-step"));
    Duration bound = clock.child("out-of-orderness").duration();
    Duration idle = clock.child("idle-timeout").duration();
    Duration backlogIdle = clock.child("backlog-idle-timeout").duration();
    if (backlogIdle.compareTo(idle) < 0) {
      throw new ConfigException(clock.child("backlog-idle-timeout").path(),
          "must not be shorter than clock.idle-timeout (" + idle + ")");
    }
    Duration step = clock.child("current-state-step").duration();
    if (step.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException(clock.child("current-state-step").path(), "must be at most 1m");
    }
    return new ClockSettings(bound, idle, backlogIdle, step);
  }

  private static InputLimits input(ConfigTree input) {
    input.allowOnly(Set.of("max-future-skew", "max-text-length", "max-amount", "earliest-close-date",
        "latest-close-date"));
    LocalDate earliest = input.child("earliest-close-date").date();
    LocalDate latest = input.child("latest-close-date").date();
    if (!latest.isAfter(earliest)) {
      throw new ConfigException(input.child("latest-close-date").path(),
          "must be after input.earliest-close-date (" + earliest + ")");
    }
    return new InputLimits(input.child("max-future-skew").duration(),
        input.child("max-text-length").integer(1_000, 100_000_000), input.child("max-amount").positiveNumber(),
        earliest, latest);
  }

  private static PulseConfig.DeadLetterSettings deadLetters(ConfigTree deadLetter) {
    deadLetter.allowOnly(Set.of("max-value-bytes", "include-values"));
    return new PulseConfig.DeadLetterSettings(deadLetter.child("max-value-bytes").integer(0, 16 * 1024 * 1024),
        deadLetter.child("include-values").bool());
  }

  private static JobSettings job(ConfigTree job) {
    job.allowOnly(Set.of("parallelism", "checkpoint-interval", "web-ui-port", "restarts"));
    return new JobSettings(
        job.child("parallelism").integer(1, 1024),
        job.child("checkpoint-interval").duration(),
        job.child("web-ui-port").integer(1, 65535),
        restarts(job.child("restarts")));
  }

  private static PulseConfig.RestartSettings restarts(ConfigTree restarts) {
    restarts.allowOnly(Set.of("attempts", "initial-backoff", "max-backoff", "reset-after"));
    Duration initial = restarts.child("initial-backoff").duration();
    Duration max = restarts.child("max-backoff").duration();
    if (max.compareTo(initial) < 0) {
      throw new ConfigException(restarts.child("max-backoff").path(),
          "must not be shorter than job.restarts.initial-backoff (" + initial + ")");
    }
    return new PulseConfig.RestartSettings(restarts.child("attempts").integer(1, 1_000_000), initial, max,
        restarts.child("reset-after").duration());
  }

  private static MetricsSettings metrics(ConfigTree metrics) {
    metrics.allowOnly(Set.of("host", "port", "flink-port"));
    return new MetricsSettings(metrics.child("host").text(), metrics.child("port").integer(0, 65535),
        metrics.child("flink-port").integer(0, 65535));
  }

  private static CurrencyRates currency(ConfigTree reporting) {
    reporting.allowOnly(Set.of("currency", "rates"));
    String currency = reporting.child("currency").text();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigTree> rate : reporting.child("rates").entries().entrySet()) {
      if (!rate.getKey().matches("[A-Z]{3}")) {
        throw new ConfigException(rate.getValue().path(), "'" + rate.getKey() + "' is not an ISO-4217 currency code");
      }
      rates.put(rate.getKey(), rate.getValue().positiveNumber());
    }
    Double own = rates.get(currency);
    if (own == null || own != 1.0) {
      throw new ConfigException(reporting.child("rates").path(),
          "must give the reporting currency " + currency + " the rate 1.0");
    }
    return new CurrencyRates(currency, Map.copyOf(rates));
  }

  private static PipelineCatalog pipelines(ConfigTree root) {
    Map<String, PipelineCatalog.Pipeline> pipelines = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigTree> entry : root.child("pipelines").entries().entrySet()) {
      ConfigTree pipeline = entry.getValue().allowOnly(Set.of("stages", "won", "lost"));
      List<String> stages = pipeline.child("stages").textList();
      if (stages.isEmpty()) {
        throw new ConfigException(pipeline.child("stages").path(), "needs at least one open stage");
      }
      if (new HashSet<>(stages).size() != stages.size()) {
        throw new ConfigException(pipeline.child("stages").path(), "lists a stage twice");
      }
      String won = pipeline.child("won").text();
      String lost = pipeline.child("lost").text();
      if (won.equals(lost) || stages.contains(won) || stages.contains(lost)) {
        throw new ConfigException(pipeline.path(), "won and lost must be two stages that are not open stages");
      }
      pipelines.put(entry.getKey(), new PipelineCatalog.Pipeline(List.copyOf(stages), won, lost));
    }
    String defaultPipeline = root.child("default-pipeline").text();
    if (!pipelines.containsKey(defaultPipeline)) {
      throw new ConfigException("default-pipeline", "'" + defaultPipeline + "' is not one of pipelines "
          + pipelines.keySet());
    }
    return new PipelineCatalog(defaultPipeline, Map.copyOf(pipelines));
  }

  private static DealRules deals(ConfigTree deals, PipelineCatalog pipelines) {
    deals.allowOnly(Set.of("stalled-after", "stalled-after-by-stage", "slipped-after-pushes", "stageless-retention"));
    Map<String, Map<String, Duration>> byStage = new LinkedHashMap<>();
    ConfigTree stages = deals.child("stalled-after-by-stage");
    if (stages.isPresent()) {
      for (Map.Entry<String, ConfigTree> pipeline : stages.entries().entrySet()) {
        PipelineCatalog.Pipeline known = pipelines.pipelines().get(pipeline.getKey());
        if (known == null) {
          throw new ConfigException(pipeline.getValue().path(), "'" + pipeline.getKey() + "' is not one of pipelines "
              + pipelines.pipelines().keySet());
        }
        Map<String, Duration> thresholds = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigTree> stage : pipeline.getValue().entries().entrySet()) {
          if (known.orderOf(stage.getKey()) < 0) {
            throw new ConfigException(stage.getValue().path(), "'" + stage.getKey() + "' is not an open stage of "
                + pipeline.getKey() + " " + known.stages());
          }
          thresholds.put(stage.getKey(), stage.getValue().duration());
        }
        byStage.put(pipeline.getKey(), Map.copyOf(thresholds));
      }
    }
    return new DealRules(deals.child("stalled-after").duration(), Map.copyOf(byStage),
        deals.child("slipped-after-pushes").integer(1, 1000), deals.child("stageless-retention").duration());
  }

  private static LeadRules leads(ConfigTree leads) {
    leads.allowOnly(Set.of("untouched-status", "converted-statuses", "disqualified-statuses", "response-sla",
        "response-sla-by-source", "business-hours", "expire-after", "resolved-retention"));
    Map<String, Duration> bySource = new LinkedHashMap<>();
    ConfigTree sources = leads.child("response-sla-by-source");
    if (sources.isPresent()) {
      for (Map.Entry<String, ConfigTree> source : sources.entries().entrySet()) {
        bySource.put(source.getKey(), source.getValue().duration());
      }
    }
    List<String> converted = leads.child("converted-statuses").textList();
    List<String> disqualified = leads.child("disqualified-statuses").textList();
    String untouched = leads.child("untouched-status").text();
    for (String status : converted) {
      if (disqualified.contains(status) || status.equals(untouched)) {
        throw new ConfigException(leads.child("converted-statuses").path(),
            "'" + status + "' cannot also be the untouched or a disqualified status");
      }
    }
    if (disqualified.contains(untouched)) {
      throw new ConfigException(leads.child("disqualified-statuses").path(),
          "'" + untouched + "' is the untouched status");
    }
    Map<String, BusinessHours> hours = new LinkedHashMap<>();
    ConfigTree teams = leads.child("business-hours");
    if (teams.isPresent()) {
      for (Map.Entry<String, ConfigTree> team : teams.entries().entrySet()) {
        hours.put(team.getKey(), businessHours(team.getValue()));
      }
    }
    Duration sla = leads.child("response-sla").duration();
    Duration longestSla = bySource.values().stream().reduce(sla, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    Duration expireAfter = leads.child("expire-after").duration();
    if (expireAfter.compareTo(longestSla) <= 0 || expireAfter.compareTo(Duration.ofDays(1)) < 0) {
      throw new ConfigException(leads.child("expire-after").path(),
          "must be at least 1d and longer than every response SLA (the longest is " + longestSla + ")");
    }
    return new LeadRules(untouched, List.copyOf(converted), List.copyOf(disqualified), sla, Map.copyOf(bySource),
        Map.copyOf(hours), expireAfter, leads.child("resolved-retention").duration());
  }

  private static BusinessHours businessHours(ConfigTree team) {
    team.allowOnly(Set.of("zone", "days", "from", "to"));
    ZoneId zone;
    try {
      zone = ZoneId.of(team.child("zone").text());
    } catch (DateTimeException e) {
      throw new ConfigException(team.child("zone").path(), "'" + team.child("zone").text()
          + "' is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : team.child("days").textList()) {
      DayOfWeek parsed = Arrays.stream(DayOfWeek.values())
          .filter(d -> d.name().startsWith(day.toUpperCase(Locale.ROOT)) && day.length() >= 3)
          .findFirst()
          .orElseThrow(() -> new ConfigException(team.child("days").path(),
              "'" + day + "' is not a day of the week (MON, TUE, WED, THU, FRI, SAT, SUN)"));
      days.add(parsed);
    }
    if (days.isEmpty()) {
      throw new ConfigException(team.child("days").path(), "needs at least one working day");
    }
    LocalTime from = timeOfDay(team.child("from"));
    LocalTime to = timeOfDay(team.child("to"));
    if (!from.isBefore(to)) {
      throw new ConfigException(team.child("to").path(), "must be later than from (" + from + ")");
    }
    return new BusinessHours(zone, Set.copyOf(days), from, to);
  }

  private static LocalTime timeOfDay(ConfigTree value) {
    try {
      return LocalTime.parse(value.text());
    } catch (DateTimeParseException e) {
      throw new ConfigException(value.path(), "'" + value.text() + "' is not a time of day as HH:MM (e.g. 09:00)");
    }
  }

  private static UserDirectory directory(ConfigTree directory) {
    directory.allowOnly(Set.of("users"));
    Map<String, DirectoryEntry> users = new LinkedHashMap<>();
    ConfigTree list = directory.child("users");
    if (list.isPresent()) {
      for (ConfigTree user : list.list()) {
        user.allowOnly(Set.of("id", "team", "manager"));
        String id = user.child("id").text();
        if (users.containsKey(id)) {
          throw new ConfigException(user.child("id").path(), "user " + id + " is listed twice");
        }
        users.put(id, new DirectoryEntry(user.child("team").text(), user.child("manager").textOr(null)));
      }
    }
    return new UserDirectory(Map.copyOf(users));
  }

}
