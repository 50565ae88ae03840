package io.pipelinepulse.localstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.codec.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrmSimulatorMainTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CrmSimulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("--bootstrap", "--topic", "--seed", "--history-days", "--live", "--speed", "--out", "--max-events");
  }

  @Test
  void badOptionsFailNamingTheOption() {
    assertThat(run("--bogus")).isEqualTo(1);
    assertThat(err()).contains("--bogus");
    err.reset();
    assertThat(run("--seed", "forty-two")).isEqualTo(1);
    assertThat(err()).contains("--seed", "forty-two");
    err.reset();
    assertThat(run("--history-days", "-1")).isEqualTo(1);
    assertThat(err()).contains("--history-days");
    err.reset();
    assertThat(run("--max-events")).isEqualTo(1);
    assertThat(err()).contains("--max-events", "needs a value");
    err.reset();
    assertThat(run("--speed", "10")).isEqualTo(1);
    assertThat(err()).contains("--speed", "--live");
    err.reset();
    assertThat(run("--live", "--speed", "0")).isEqualTo(1);
    assertThat(err()).contains("--speed");
    err.reset();
    assertThat(run("--out", "x.jsonl", "--topic", "t")).isEqualTo(1);
    assertThat(err()).contains("--out", "--topic");
  }

  @Test
  void writesTheHistoryUpToNowAsCanonicalJsonLines() throws Exception {
    Path file = dir.resolve("history.jsonl");
    long before = System.currentTimeMillis();
    assertThat(run("--out", file.toString(), "--history-days", "3", "--seed", "5")).isZero();
    long after = System.currentTimeMillis();

    List<CrmChange> events = Files.readAllLines(file).stream().map(CanonicalJson::parse).toList();
    assertThat(events).hasSizeGreaterThan(300);
    assertThat(events.get(0).getEntity()).isEqualTo(Entity.USER);
    assertThat(events.get(0).getCommitTime()).isBetween(before - Duration.ofDays(3).toMillis(), after - Duration.ofDays(3).toMillis());
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).getCommitTime()).isGreaterThanOrEqualTo(events.get(i - 1).getCommitTime()).isLessThanOrEqualTo(after);
    }
    assertThat(out()).contains(String.format("%,d events sent", events.size()), "by kind:", "lead create");
  }

  @Test
  void stopsAfterMaxEvents() throws Exception {
    Path file = dir.resolve("some.jsonl");
    assertThat(run("--out", file.toString(), "--max-events", "50")).isZero();
    assertThat(Files.readAllLines(file)).hasSize(50);
    assertThat(out()).contains("--max-events reached");
  }

  @Test
  void liveModeStampsEventsWithTheWallClock() throws Exception {
    Path file = dir.resolve("live.jsonl");
    long before = System.currentTimeMillis();
    int exit = run("--out", file.toString(), "--history-days", "0", "--live", "--speed", "200000", "--max-events", "200");
    long after = System.currentTimeMillis();
    assertThat(exit).isZero();
    List<CrmChange> events = Files.readAllLines(file).stream().map(CanonicalJson::parse).toList();
    assertThat(events).hasSize(200);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getCommitTime()).isBetween(before, after);
      if (i > 0) {
        assertThat(events.get(i).getCommitTime()).isGreaterThanOrEqualTo(events.get(i - 1).getCommitTime());
      }
    }
    assertThat(out()).contains("live at 200000 times real speed");
  }
}
