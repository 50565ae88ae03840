package io.pipelinepulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipelinepulse.config.PulseConfig.DirectoryEntry;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig.InputTopic;
import io.pipelinepulse.config.PulseConfig.StartingOffsets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PulseConfigLoaderTest {

  @TempDir
  Path dir;

  // ---------------------------------------------------------------- defaults and merging

  @Test
  void defaultsLoad() {
    PulseConfig config = PulseConfigLoader.defaults();

    assertThat(config.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.kafka().groupId()).isEqualTo("pipeline-pulse");
    assertThat(config.kafka().startingOffsets()).as("a job without state rebuilds it").isEqualTo(StartingOffsets.EARLIEST);
    assertThat(config.kafka().inputs()).containsExactly(new InputTopic("crm.changes", InputFormat.CANONICAL));
    assertThat(config.kafka().kpiTopic()).isEqualTo("pulse.kpi");
    assertThat(config.kafka().alertsTopic()).isEqualTo("pulse.alerts");
    assertThat(config.kafka().deadLetterTopic()).isEqualTo("pulse.dead-letter");
    assertThat(config.kafka().createTopics()).as("a production cluster's topics are made by its owners").isFalse();
    assertThat(config.kafka().newTopics().replicationFactor()).isEqualTo(-1);
    assertThat(config.kafka().newTopics().inputs().partitions()).isEqualTo(4);
    assertThat(config.kafka().newTopics().inputs().configs()).containsEntry("retention.ms", "-1");
    assertThat(config.kafka().newTopics().kpi().configs()).containsEntry("cleanup.policy", "compact");
    assertThat(config.clock().outOfOrderness()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.clock().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.job().parallelism()).isEqualTo(2);
    assertThat(config.job().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.job().webUiPort()).isEqualTo(8081);
    assertThat(config.metrics().host()).isEqualTo("127.0.0.1");
    assertThat(config.metrics().port()).isEqualTo(9250);
    assertThat(config.currency().reportingCurrency()).isEqualTo("USD");
    assertThat(config.currency().rates()).containsOnlyKeys("USD", "EUR", "GBP");
    assertThat(config.currency().toReporting(100.0, "EUR")).isEqualTo(108.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(config.pipelines().defaultPipeline()).isEqualTo("default");
    PipelineCatalog.Pipeline pipeline = config.pipelines().get("default");
    assertThat(pipeline.stages()).containsExactly("Prospecting", "Qualification", "Needs Analysis",
        "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
        "Negotiation/Review");
    assertThat(pipeline.won()).isEqualTo("Closed Won");
    assertThat(pipeline.lost()).isEqualTo("Closed Lost");
    assertThat(config.directory().users()).isEmpty();
  }

  @Test
  void loadWithoutUserFileIsTheDefaults() {
    assertThat(PulseConfigLoader.load((Path) null)).isEqualTo(PulseConfigLoader.defaults());
    assertThat(PulseConfigLoader.fromYaml("")).isEqualTo(PulseConfigLoader.defaults());
  }

  @Test
  void userFileMergesMapsAndReplacesLists() throws IOException {
    Path file = write("""
        kafka:
          bootstrap-servers: broker-1:9092,broker-2:9092
          inputs:
            - topic: sf.changes
              format: canonical
            - topic: hs.changes
              format: canonical
          topics:
            kpi: my.kpi
        clock:
          out-of-orderness: 5m
        reporting:
          rates:
            CHF: 1.12
        pipelines:
          enterprise:
            stages: [Discovery, Proposal]
            won: Won
            lost: Lost
        directory:
          users:
            - id: u-1
              team: East
              manager: u-9
            - id: u-2
              team: West
        """);

    PulseConfig config = PulseConfigLoader.load(file);

    // maps are merged key by key: untouched keys keep their defaults
    assertThat(config.kafka().bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
    assertThat(config.kafka().groupId()).isEqualTo("pipeline-pulse");
    assertThat(config.kafka().kpiTopic()).isEqualTo("my.kpi");
    assertThat(config.kafka().deadLetterTopic()).isEqualTo("pulse.dead-letter");
    assertThat(config.kafka().createTopics()).as("a production cluster's topics are made by its owners").isFalse();
    assertThat(config.kafka().newTopics().replicationFactor()).isEqualTo(-1);
    assertThat(config.kafka().newTopics().inputs().partitions()).isEqualTo(4);
    assertThat(config.kafka().newTopics().inputs().configs()).containsEntry("retention.ms", "-1");
    assertThat(config.kafka().newTopics().kpi().configs()).containsEntry("cleanup.policy", "compact");
    assertThat(config.clock().outOfOrderness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.clock().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.currency().rates()).containsOnlyKeys("USD", "EUR", "GBP", "CHF");
    assertThat(config.currency().rates().get("CHF")).isEqualTo(1.12);
    assertThat(config.pipelines().pipelines()).containsOnlyKeys("default", "enterprise", "hubspot");
    assertThat(config.pipelines().get("enterprise").stages()).containsExactly("Discovery", "Proposal");
    assertThat(config.pipelines().resolve("enterprise")).isEqualTo("enterprise");
    assertThat(config.pipelines().resolve("nope")).isEqualTo("default");
    assertThat(config.pipelines().resolve(null)).isEqualTo("default");
    // lists replace the default list whole
    assertThat(config.kafka().inputs()).containsExactly(
        new InputTopic("sf.changes", InputFormat.CANONICAL), new InputTopic("hs.changes", InputFormat.CANONICAL));
    assertThat(config.directory().users()).containsOnlyKeys("u-1", "u-2");
    assertThat(config.directory().users().get("u-1")).isEqualTo(new DirectoryEntry("East", "u-9"));
    assertThat(config.directory().users().get("u-2")).isEqualTo(new DirectoryEntry("West", null));
    assertThat(config.directory().teamOf("u-2")).isEqualTo("West");
    assertThat(config.directory().teamOf("u-3")).isNull();
  }

  @Test
  void laterFilesWinAndMapsMergeAcrossFiles() throws IOException {
    Path base = write("""
        clock: {out-of-orderness: 5m, idle-timeout: 30s}
        job: {parallelism: 4}
        kafka: {inputs: [{topic: a, format: canonical}]}
        """);
    Path site = write("""
        clock: {out-of-orderness: 2m}
        kafka: {inputs: [{topic: b, format: canonical}]}
        """);

    PulseConfig config = PulseConfigLoader.load(List.of(base, site));

    assertThat(config.clock().outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.clock().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.job().parallelism()).isEqualTo(4);
    assertThat(config.kafka().inputs()).containsExactly(new InputTopic("b", InputFormat.CANONICAL));
    assertThat(PulseConfigLoader.load(List.of(site, base)).clock().outOfOrderness())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(PulseConfigLoader.load(List.of())).isEqualTo(PulseConfigLoader.defaults());
  }

  @Test
  void missingSecondFileNamesTheOption() throws IOException {
    Path base = write("job: {parallelism: 4}\n");
    assertConfigError(() -> PulseConfigLoader.load(List.of(base, dir.resolve("gone.yaml"))), "--config")
        .hasMessageContaining("gone.yaml");
  }

  @Test
  void listInPipelineStagesReplacesDefaultStages() {
    PulseConfig config = PulseConfigLoader.fromYaml("""
        pipelines:
          default:
            stages: [One, Two]
        """);
    assertThat(config.pipelines().get("default").stages()).containsExactly("One", "Two");
    assertThat(config.pipelines().get("default").won()).isEqualTo("Closed Won");
  }

  @Test
  void emptyUserFileIsTheDefaults() throws IOException {
    assertThat(PulseConfigLoader.load(write("# nothing to change\n"))).isEqualTo(PulseConfigLoader.defaults());
  }

  @Test
  void durationUnits() {
    PulseConfig config = PulseConfigLoader.fromYaml("""
        clock: {out-of-orderness: 500ms, idle-timeout: 90s}
        dedup: {retention: 2h}
        job: {checkpoint-interval: 3 m}
        """);
    assertThat(config.clock().outOfOrderness()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.clock().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.dedupRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(config.job().checkpointInterval()).isEqualTo(Duration.ofMinutes(3));
  }

  // ---------------------------------------------------------------- each bad value names its key

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      clock.out-of-orderness           | clock: {out-of-orderness: 5 minutes}
      clock.idle-timeout               | clock: {idle-timeout: 0s}
      clock.idle-timeout               | clock: {idle-timeout: 10}
      dedup.retention                  | dedup: {retention: forever}
      input.max-future-skew            | input: {max-future-skew: 5}
      input.max-text-length            | input: {max-text-length: 10}
      input.max-amount                 | input: {max-amount: -1}
      input.earliest-close-date        | input: {earliest-close-date: 1st of January}
      input.latest-close-date          | input: {latest-close-date: 1899-12-31}
      input.max-ammount                | input: {max-ammount: 5}
      dead-letter.max-value-bytes      | dead-letter: {max-value-bytes: -1}
      dead-letter.include-values       | dead-letter: {include-values: no thanks}
      job.parallelism                  | job: {parallelism: 0}
      job.parallelism                  | job: {parallelism: 1025}
      job.parallelism                  | job: {parallelism: two}
      job.parallelism                  | job: {parallelism: 1.5}
      job.web-ui-port                  | job: {web-ui-port: 0}
      job.restarts.attempts            | job: {restarts: {attempts: 0}}
      deals.stageless-retention        | deals: {stageless-retention: a week}
      leads.expire-after               | leads: {expire-after: 12h}
      leads.expire-after               | leads: {response-sla-by-source: {Trade Show: 3d}, expire-after: 2d}
      leads.resolved-retention         | leads: {resolved-retention: 0d}
      clock.current-state-step         | clock: {current-state-step: 2m}
      job.restarts.max-backoff         | job: {restarts: {initial-backoff: 5m, max-backoff: 1m}}
      job.restarts.forever             | job: {restarts: {forever: true}}
      metrics.port                     | metrics: {port: 70000}
      metrics.port                     | metrics: {port: -1}
      metrics.host                     | metrics: {host: " "}
      kafka.inputs[0].format           | kafka: {inputs: [{topic: a, format: xml}]}
      kafka.inputs[0].topic            | kafka: {inputs: [{format: canonical}]}
      kafka.inputs[1].topic            | kafka: {inputs: [{topic: a, format: canonical}, {topic: a, format: canonical}]}
      kafka.inputs[0].partitions       | kafka: {inputs: [{topic: a, format: canonical, partitions: 3}]}
      kafka.inputs                     | kafka: {inputs: []}
      kafka.inputs                     | kafka: {inputs: crm.changes}
      kafka.starting-offsets           | kafka: {starting-offsets: newest}
      kafka.topics.dead-letters        | kafka: {topics: {dead-letters: x}}
      kafka.topics.kpi                 | kafka: {topics: {kpi: crm.changes}}
      kafka.create-topics              | kafka: {create-topics: yes please}
      kafka.new-topics.replication-factor | kafka: {new-topics: {replication-factor: 0}}
      kafka.new-topics.kpi.partitions  | kafka: {new-topics: {kpi: {partitions: 0}}}
      kafka.new-topics.alerts.retention | kafka: {new-topics: {alerts: {retention: 7d}}}
      kafka.new-topics.dead-letter.configs.Retention | kafka: {new-topics: {dead-letter: {configs: {Retention: 1}}}}
      kafka.new-topic                  | kafka: {new-topic: {}}
      clock.out-of-order               | clock: {out-of-order: 5m}
      clocks                           | clocks: {out-of-orderness: 5m}
      reporting.rates                  | reporting: {currency: CHF}
      reporting.rates                  | reporting: {rates: {USD: 1.1}}
      reporting.rates.usd              | reporting: {rates: {usd: 1.0}}
      reporting.rates.EUR              | reporting: {rates: {EUR: -1.08}}
      reporting.rates.EUR              | reporting: {rates: {EUR: abc}}
      reporting.rates.EUR              | reporting: {rates: {EUR: 0}}
      default-pipeline                 | default-pipeline: enterprise
      pipelines.default                | pipelines: {default: {won: Negotiation/Review}}
      pipelines.default                | pipelines: {default: {lost: Prospecting}}
      pipelines.default                | pipelines: {default: {won: Done, lost: Done}}
      pipelines.default.stages         | pipelines: {default: {stages: []}}
      pipelines.default.stages         | pipelines: {default: {stages: [A, B, A]}}
      pipelines.default.order          | pipelines: {default: {order: [A]}}
      pipelines.small.won              | pipelines: {small: {stages: [A]}}
      directory.users[1].id            | directory: {users: [{id: u1, team: A}, {id: u1, team: B}]}
      directory.users[0].team          | directory: {users: [{id: u1}]}
      directory.users[0].email         | directory: {users: [{id: u1, team: A, email: a@b.c}]}
      leads.business-hours.East.zone   | leads: {business-hours: {East: {zone: Mars/Olympus, days: [MON], from: "09:00", to: "17:00"}}}
      leads.business-hours.East.days   | leads: {business-hours: {East: {zone: UTC, days: [MON, Funday], from: "09:00", to: "17:00"}}}
      leads.business-hours.East.days   | leads: {business-hours: {East: {zone: UTC, days: [], from: "09:00", to: "17:00"}}}
      leads.business-hours.East.from   | leads: {business-hours: {East: {zone: UTC, days: [MON], from: 9am, to: "17:00"}}}
      leads.business-hours.East.to     | leads: {business-hours: {East: {zone: UTC, days: [MON], from: "17:00", to: "09:00"}}}
      leads.business-hours.East.to     | leads: {business-hours: {East: {zone: UTC, days: [MON], from: "09:00"}}}
      alerts.alertmanager-url          | alerts: {alertmanager-url: "ftp://am:9093"}
      alerts.record-url                | alerts: {record-url: "https://crm.example.com/record"}
      alerts.repeat-interval           | alerts: {repeat-interval: 500ms}
      alerts.live-within               | alerts: {live-within: soon}
      alerts.include-names             | alerts: {include-names: maybe}
      alerts.page                      | alerts: {page: true}
      deals.slipped-after-pushes       | deals: {slipped-after-pushes: 0}
      leads.business-hours.East.hours  | leads: {business-hours: {East: {zone: UTC, days: [MON], from: "09:00", to: "17:00", hours: 8}}}
      debezium.tables.deals.entity     | debezium: {tables: {deals: {entity: deal, id: id, columns: {}}}}
      debezium.tables.deals.id         | debezium: {tables: {deals: {entity: opportunity, columns: {}}}}
      debezium.tables.deals.columns.phase | debezium: {tables: {deals: {entity: opportunity, id: id, columns: {phase: phase}}}}
      debezium.tables.deals.key        | debezium: {tables: {deals: {entity: opportunity, id: id, key: id}}}
      debezium.table                   | debezium: {table: {}}
      """)
  void badValueFailsNamingTheKey(String key, String yaml) {
    assertConfigError(() -> PulseConfigLoader.fromYaml(yaml), key);
  }

  @Test
  void badValueInUserFileNamesTheKey() throws IOException {
    Path file = write("""
        clock:
          out-of-orderness: 5 minutes
        """);
    assertConfigError(() -> PulseConfigLoader.load(file), "clock.out-of-orderness")
        .hasMessageContaining("'5 minutes' is not a duration");
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertConfigError(() -> PulseConfigLoader.fromYaml("job: {parallelism: 0}"), "job.parallelism")
        .hasMessage("configuration key job.parallelism: 0 is out of range 1..1024");
    assertConfigError(() -> PulseConfigLoader.fromYaml("metrics: {port: 70000}"), "metrics.port")
        .hasMessage("configuration key metrics.port: 70000 is out of range 0..65535");
    assertConfigError(() -> PulseConfigLoader.fromYaml("kafka: {inputs: [{topic: a, format: xml}]}"),
        "kafka.inputs[0].format")
        .hasMessage("configuration key kafka.inputs[0].format: unknown format 'xml' (supported: canonical, debezium, salesforce-cdc, hubspot)");
    assertConfigError(() -> PulseConfigLoader.fromYaml("clock: {out-of-order: 5m}"), "clock.out-of-order")
        .hasMessageStartingWith("configuration key clock.out-of-order: unknown key (known here: ")
        .hasMessageContaining("out-of-orderness").hasMessageContaining("idle-timeout");
    assertConfigError(() -> PulseConfigLoader.fromYaml("reporting: {currency: CHF}"), "reporting.rates")
        .hasMessage("configuration key reporting.rates: must give the reporting currency CHF the rate 1.0");
    assertConfigError(() -> PulseConfigLoader.fromYaml("default-pipeline: enterprise"), "default-pipeline")
        .hasMessage("configuration key default-pipeline: 'enterprise' is not one of pipelines [default, hubspot]");
    assertConfigError(() -> PulseConfigLoader.fromYaml("pipelines: {default: {won: Qualification}}"),
        "pipelines.default")
        .hasMessage("configuration key pipelines.default: won and lost must be two stages that are not open stages");
  }

  @Test
  void reportingCurrencyWithItsRateIsAccepted() {
    PulseConfig config = PulseConfigLoader.fromYaml("reporting: {currency: CHF, rates: {CHF: 1.0, USD: 0.9}}");
    assertThat(config.currency().reportingCurrency()).isEqualTo("CHF");
    assertThat(config.currency().toReporting(10.0, null)).isEqualTo(10.0);
    assertThat(config.currency().toReporting(10.0, "USD")).isEqualTo(9.0);
  }

  @Test
  void missingConfigFileNamesTheOption() {
    Path missing = dir.resolve("no-such-file.yaml");
    assertConfigError(() -> PulseConfigLoader.load(missing), "--config")
        .hasMessageContaining(missing.toAbsolutePath().toString());
  }

  @Test
  void invalidYamlFileIsReportedWithItsLine() throws IOException {
    Path file = write("""
        clock:
          out-of-orderness: 1m
         idle-timeout: [10s
        """);
    assertThatThrownBy(() -> PulseConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("at line");
  }

  @Test
  void invalidYamlTextIsAConfigException() {
    assertThatThrownBy(() -> PulseConfigLoader.fromYaml("clock: [1m\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void userFileThatIsNotAMapIsRejected() throws IOException {
    Path file = write("- clock\n- job\n");
    assertThatThrownBy(() -> PulseConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must hold a map of keys");
  }

  @Test
  void hugeDurationNamesTheKey() {
    assertConfigError(() -> PulseConfigLoader.fromYaml("clock: {idle-timeout: 99999999999999999999s}"),
        "clock.idle-timeout");
    assertConfigError(() -> PulseConfigLoader.fromYaml("dedup: {retention: 9999999999999999d}"),
        "dedup.retention");
  }

  @Test
  void durationWhoseMillisOverflowIsRejectedAtLoad() {
    assertConfigError(() -> PulseConfigLoader.fromYaml("clock: {out-of-orderness: 999999999999999m}")
        .clock().outOfOrderness().toMillis(), "clock.out-of-orderness");
  }

  @Test
  void scalarWhereAMapBelongsIsAConfigErrorUnderThatKey() {
    // the message names clock.out-of-orderness ("is missing") rather than clock itself; it is at least a
    // ConfigException under the right section
    assertConfigError(() -> PulseConfigLoader.fromYaml("clock: 5m"), "clock.out-of-orderness");
  }

  @Test
  void yamlTextThatIsNotAMapIsRejectedLikeAFile() {
    assertThatThrownBy(() -> PulseConfigLoader.fromYaml("[1, 2]")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> PulseConfigLoader.fromYaml("just text")).isInstanceOf(ConfigException.class);
  }

  // ---------------------------------------------------------------- helpers

  @Test
  void businessHoursReadPerTeam() {
    PulseConfig config = PulseConfigLoader.fromYaml("""
        leads:
          business-hours:
            East: {zone: America/New_York, days: [mon, TUE, Wednesday], from: "08:30", to: "17:00"}
        """);
    BusinessHours east = config.leads().businessHoursByTeam().get("East");
    assertThat(east.zone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
    assertThat(east.days()).containsExactlyInAnyOrder(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.TUESDAY,
        java.time.DayOfWeek.WEDNESDAY);
    assertThat(east.opens()).isEqualTo(java.time.LocalTime.of(8, 30));
    assertThat(config.leads().hasBusinessHours()).isTrue();
    assertThat(PulseConfigLoader.fromYaml("").leads().hasBusinessHours()).isFalse();
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "pulse", ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertConfigError(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
    return assertThatThrownBy(call)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("configuration key " + key + ": ");
  }
}
