package io.pipelinepulse.localstack.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.CrmChange;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The loader's bookkeeping without a broker: groups, counts, progress and failures. */
class ChangeFileLoaderTest {

  private static String line(int n) {
    return "{\"entity\":\"lead\",\"recordId\":\"00Q" + n + "\",\"changeType\":\"create\",\"commitTime\":" + (1_700_000_000_000L + n) + "}";
  }

  /** Acknowledges everything, except what {@code failing} says to fail. */
  private static final class FakePublisher implements ChangePublisher {
    final List<CrmChange> sent = new ArrayList<>();
    java.util.function.Function<CrmChange, Exception> failing = change -> null;
    Exception fatal;

    @Override
    public void send(CrmChange change, ChangeProducer.Outcome outcome) {
      Exception failure = failing.apply(change);
      if (failure != null && ChangeProducer.isFatal(failure)) {
        fatal = failure;
      }
      if (failure == null) {
        sent.add(change);
      }
      outcome.done(failure);
    }

    @Override
    public Optional<Exception> fatalFailure() {
      return Optional.ofNullable(fatal);
    }

    @Override
    public void flush() {}
  }

  @Test
  void groupsManyRejectionsOfOneKindAndShowsTheFirstLines() {
    String file = IntStream.rangeClosed(1, 20).mapToObj(n -> n % 2 == 0 ? "{\"oops\":" + n + "}" : line(n))
        .collect(Collectors.joining("\n"));
    FakePublisher publisher = new FakePublisher();
    List<String> progress = new ArrayList<>();
    LoadReport report = new ChangeFileLoader(new CanonicalFormat(), publisher, progress::add)
        .load(new BufferedReader(new StringReader(file)));

    assertThat(publisher.sent).hasSize(10);
    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.rejectedGroups()).singleElement().satisfies(group -> {
      assertThat(group.reason()).isEqualTo("missing entity");
      assertThat(group.count()).isEqualTo(10);
      assertThat(group.firstLines()).containsExactly(2L, 4L, 6L, 8L, 10L);
    });
    assertThat(report.render("f", "canonical", "topic t"))
        .contains("  missing entity: 10 lines: 2, 4, 6, 8, 10 and 5 more");
    assertThat(progress).isEmpty();
  }

  @Test
  void reportsProgressEveryHundredThousandLines() {
    String file = IntStream.rangeClosed(1, 200_001).mapToObj(n -> "#").collect(Collectors.joining("\n"));
    List<String> progress = new ArrayList<>();
    LoadReport report = new ChangeFileLoader(new CanonicalFormat(), new FakePublisher(), progress::add)
        .load(new BufferedReader(new StringReader(file)));
    assertThat(report.linesRead()).isEqualTo(200_001);
    assertThat(report.exitCode()).isZero();
    assertThat(progress).containsExactly(
        "100,000 lines read: 0 changes sent so far, 0 lines rejected",
        "200,000 lines read: 0 changes sent so far, 0 lines rejected");
  }

  @Test
  void aFailedSendIsCountedAsNotSent() {
    FakePublisher publisher = new FakePublisher();
    publisher.failing = change -> change.getRecordId().equals("00Q2") ? new RecordTooLargeException("too big") : null;
    LoadReport report = new ChangeFileLoader(new CanonicalFormat(), publisher, p -> { })
        .load(new BufferedReader(new StringReader(line(1) + "\n" + line(2) + "\n" + line(3))));

    assertThat(report.changesSent()).isEqualTo(2);
    assertThat(report.changesNotSent()).isEqualTo(1);
    assertThat(report.exitCode()).isEqualTo(1);
    assertThat(report.render("f", "canonical", "topic t"))
        .contains("2 changes sent, 0 lines rejected, 1 change not sent")
        .contains("not sent 1:", "  RecordTooLargeException: too big: change from line 2");
  }

  @Test
  void aFatalFailureStopsTheLoad() {
    FakePublisher publisher = new FakePublisher();
    publisher.failing = change -> change.getRecordId().equals("00Q2") ? new TimeoutException("broker gone") : null;
    LoadReport report = new ChangeFileLoader(new CanonicalFormat(), publisher, p -> { })
        .load(new BufferedReader(new StringReader(line(1) + "\n" + line(2) + "\n" + line(3) + "\n" + line(4))));

    assertThat(publisher.sent).hasSize(1);
    assertThat(report.linesRead()).isEqualTo(2);
    assertThat(report.exitCode()).isEqualTo(1);
    assertThat(report.abortReason()).contains("TimeoutException: broker gone", "lines from 3 on were not read");
  }

  @Test
  void reasonsFoldLineSpecificDetails() {
    assertThat(CanonicalFormat.reasonOf("not JSON: Unexpected character ('t')")).isEqualTo("not JSON");
    assertThat(CanonicalFormat.reasonOf("changeType 'merge' is not one of [create, update, delete, undelete]"))
        .isEqualTo("unknown changeType");
    assertThat(CanonicalFormat.reasonOf("commitTime 'x' is neither an ISO-8601 instant nor epoch milliseconds"))
        .isEqualTo("bad commitTime");
    assertThat(CanonicalFormat.reasonOf("field amount must be a string, number, boolean or null")).isEqualTo("bad field value");
    assertThat(CanonicalFormat.reasonOf("missing recordId")).isEqualTo("missing recordId");
  }
}
