package io.pipelinepulse.localstack.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.localstack.testing.KafkaBroker;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalJson;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBroker.class)
class LoaderMainTest {

  private static final String LEAD =
      "{\"eventId\":\"e-1\",\"origin\":\"crm\",\"entity\":\"lead\",\"recordId\":\"00Q1\",\"changeType\":\"create\","
      + "\"commitTime\":\"2026-01-05T10:00:00Z\",\"fields\":{\"status\":\"Open - Not Contacted\",\"leadSource\":\"Web\"}}";
  private static final String OPPORTUNITY =
      "{\"entity\":\"opportunity\",\"recordId\":\"006A\",\"changeType\":\"update\",\"commitTime\":1767607200000,"
      + "\"fields\":{\"stage\":\"Qualification\",\"amount\":1200.5,\"closeDate\":null}}";
  private static final String ACTIVITY =
      "  {\"eventId\":\"e-3\",\"entity\":\"ACTIVITY\",\"recordId\":\"00T9\",\"changeType\":\"create\","
      + "\"commitTime\":\"2026-01-05T10:05:00Z\",\"sequence\":7,\"fields\":{\"type\":\"call\",\"leadId\":\"00Q1\"}}  ";
  private static final String DELETE =
      "{\"eventId\":\"e-4\",\"entity\":\"opportunity\",\"recordId\":\"006A\",\"changeType\":\"delete\",\"commitTime\":\"2026-01-06T08:00:00Z\"}";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return LoaderMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sendsTheGoodLinesAndReportsWhichLinesWereRejectedAndWhy() throws Exception {
    KafkaBroker.createTopic("load.mixed", 2);
    Path file = dir.resolve("mixed.jsonl");
    Files.write(file, List.of(
        "# an export of our CRM",                                                                     // 1
        LEAD,                                                                                         // 2
        "",                                                                                           // 3
        "{\"entity\":\"lead\",\"changeType\":\"update\",\"commitTime\":\"2026-01-05T11:00:00Z\"}",    // 4 no recordId
        OPPORTUNITY,                                                                                  // 5
        "   ",                                                                                        // 6
        "this is not json",                                                                           // 7
        "{\"entity\":\"account\",\"recordId\":\"001X\",\"changeType\":\"create\",\"commitTime\":\"2026-01-05T11:00:00Z\"}", // 8
        ACTIVITY,                                                                                     // 9
        "{\"entity\":\"lead\",\"recordId\":\"00Q2\",\"changeType\":\"create\",\"commitTime\":\"yesterday\"}", // 10
        "{\"entity\":\"lead\",\"changeType\":\"create\",\"commitTime\":\"2026-01-05T11:00:00Z\"}",    // 11 no recordId
        DELETE), StandardCharsets.UTF_8);                                                             // 12

    int exit = run("--format", "canonical", "--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "load.mixed", file.toString());

    assertThat(exit).as(out() + err()).isEqualTo(2);
    assertThat(out())
        .contains("12 lines read, 4 changes sent, 5 lines rejected")
        .contains("rejected 5:")
        .contains("  missing recordId: lines 4, 11")
        .contains("  not JSON: line 7 (not JSON: ")
        .contains("  unknown entity: line 8 (entity 'account' is not one of [lead, opportunity, activity, user])")
        .contains("  bad commitTime: line 10 (commitTime 'yesterday' is neither an ISO-8601 instant nor epoch milliseconds)")
        .doesNotContain("not sent");

    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.readAll("load.mixed", Duration.ofSeconds(15));
    Map<String, List<CrmChange>> byKey = records.stream().collect(Collectors.groupingBy(
        r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.mapping(r -> codec.decode(r.value()), Collectors.toList())));
    assertThat(byKey).containsOnlyKeys("00Q1", "006A", "00T9");
    assertThat(byKey.get("00Q1")).containsExactly(CanonicalJson.parse(LEAD));
    assertThat(byKey.get("006A")).containsExactly(CanonicalJson.parse(OPPORTUNITY), CanonicalJson.parse(DELETE));
    assertThat(byKey.get("00T9")).containsExactly(CanonicalJson.parse(ACTIVITY.strip()));
    assertThat(byKey.get("006A").get(0).getFields()).containsEntry("amount", 1200.5).containsEntry("closeDate", null);
  }

  @Test
  void loadsDebeziumChangeEventsAsTheJobReadsThem() throws Exception {
    KafkaBroker.createTopic("load.debezium", 1);
    String source = "\"source\": {\"connector\": \"postgresql\", \"table\": \"%s\", \"ts_ms\": 1767225600000, \"lsn\": %d}";
    Path file = dir.resolve("debezium.jsonl");
    Files.write(file, List.of(
        "{\"before\": null, \"after\": {\"id\": \"opp-1\", \"stage\": \"Prospecting\", \"amount\": 800}, \"op\": \"c\", "
            + source.formatted("opportunities", 10) + "}",
        "null",
        "{\"before\": null, \"after\": {\"id\": \"acc-1\"}, \"op\": \"c\", " + source.formatted("accounts", 11) + "}",
        "{\"before\": {\"id\": \"opp-1\"}, \"after\": null, \"op\": \"d\", " + source.formatted("opportunities", 12) + "}"),
        StandardCharsets.UTF_8);

    int exit = run("--format", "debezium", "--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "load.debezium",
        file.toString());

    assertThat(exit).as(out() + err()).isEqualTo(2);
    assertThat(out()).contains("4 lines read, 2 changes sent, 1 line rejected").contains("unmapped-table: line 3");
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    List<CrmChange> sent = KafkaBroker.readAll("load.debezium", Duration.ofSeconds(15)).stream()
        .map(r -> codec.decode(r.value())).toList();
    assertThat(sent).extracting(c -> c.getRecordId().toString() + " " + c.getChangeType())
        .containsExactly("opp-1 CREATE", "opp-1 DELETE");
    assertThat(sent.get(0).getFields()).containsEntry("stage", "Prospecting").containsEntry("amount", 800.0);
  }

  @Test
  void loadsSalesforceChangeEventsAndReportsGapsToReconcile() throws Exception {
    KafkaBroker.createTopic("load.salesforce", 1);
    String header = "{\"ChangeEventHeader\": {\"entityName\": \"%s\", \"recordIds\": [%s], \"changeType\": \"%s\","
        + " \"transactionKey\": \"tx-%d\", \"sequenceNumber\": 1, \"commitTimestamp\": 1767225600000}%s}";
    Path file = dir.resolve("salesforce.jsonl");
    Files.write(file, List.of(
        header.formatted("Lead", "\"00Q1\", \"00Q2\"", "UPDATE", 1, ", \"OwnerId\": \"005A\""),
        header.formatted("Opportunity", "\"0061\"", "GAP_UPDATE", 2, ""),
        header.formatted("Account", "\"0011\"", "CREATE", 3, ", \"Name\": \"Acme\"")), StandardCharsets.UTF_8);

    int exit = run("--format", "salesforce-cdc", "--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "load.salesforce",
        file.toString());

    assertThat(exit).as(out() + err()).isEqualTo(2);
    assertThat(out()).contains("3 lines read, 2 changes sent, 1 line rejected")
        .contains("gap event: line 2 (GAP_UPDATE of Opportunity: fetch 0061 again from the source)");
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    assertThat(KafkaBroker.readAll("load.salesforce", Duration.ofSeconds(15)).stream()
        .map(r -> codec.decode(r.value()).getRecordId().toString())).containsExactly("00Q1", "00Q2");
  }

  @Test
  void loadsHubSpotDeliveriesOneChangePerEvent() throws Exception {
    KafkaBroker.createTopic("load.hubspot", 1);
    String event = "{\"eventId\": %d, \"portalId\": 62, \"occurredAt\": 1767225600000, \"subscriptionType\": \"%s\","
        + " \"objectId\": 700%s}";
    Path file = dir.resolve("hubspot.jsonl");
    Files.write(file, List.of(
        "[" + event.formatted(1, "deal.creation", "") + ", "
            + event.formatted(2, "deal.propertyChange", ", \"propertyName\": \"dealstage\", \"propertyValue\": \"qualifiedtobuy\"") + "]",
        "[" + event.formatted(3, "deal.propertyChange", ", \"propertyName\": \"amount\", \"propertyValue\": \"much\"") + "]"),
        StandardCharsets.UTF_8);

    int exit = run("--format", "hubspot", "--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "load.hubspot",
        file.toString());

    assertThat(exit).as(out() + err()).isEqualTo(2);
    assertThat(out()).contains("2 lines read, 2 changes sent, 1 line rejected").contains("invalid-value: line 2");
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    assertThat(KafkaBroker.readAll("load.hubspot", Duration.ofSeconds(15)).stream()
        .map(r -> codec.decode(r.value())).map(c -> c.getChangeType() + " " + c.getFields()))
        .containsExactly("CREATE {pipeline=hubspot}", "UPDATE {stage=qualifiedtobuy}");
  }

  @Test
  void exitsZeroWhenEveryLineIsSent() throws Exception {
    KafkaBroker.createTopic("load.clean", 1);
    Path file = dir.resolve("clean.jsonl");
    Files.writeString(file, "\uFEFF" + LEAD + "\n" + OPPORTUNITY + "\n", StandardCharsets.UTF_8);

    assertThat(run("--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "load.clean", file.toString())).isZero();
    assertThat(out()).contains("2 lines read, 2 changes sent, 0 lines rejected").doesNotContain("rejected 0:");
    assertThat(KafkaBroker.readAll("load.clean", Duration.ofSeconds(15))).hasSize(2);
  }

  @Test
  void anUnknownFormatFailsListingTheSupportedOnes() {
    assertThat(run("--format", "csv", "whatever.jsonl")).isEqualTo(1);
    assertThat(err()).contains("unknown --format 'csv'", "supported: canonical, debezium, salesforce-cdc, hubspot");
  }

  @Test
  void aMissingFileFailsClearly() {
    Path missing = dir.resolve("nope.jsonl");
    assertThat(run("--format", "canonical", missing.toString())).isEqualTo(1);
    assertThat(err()).contains("cannot read " + missing + ": no such file");
  }

  @Test
  void aDirectoryIsNotAFile() {
    assertThat(run(dir.toString())).isEqualTo(1);
    assertThat(err()).contains("cannot read " + dir + ": it is a directory");
  }

  @Test
  void usageErrorsNameTheProblem() {
    assertThat(run()).isEqualTo(1);
    assertThat(err()).contains("no FILE given");
    err.reset();
    assertThat(run("--topic")).isEqualTo(1);
    assertThat(err()).contains("--topic needs a value");
    err.reset();
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("--format", "canonical", "Exit code");
  }
}
