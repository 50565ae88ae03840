package io.pipelinepulse.localstack.load;

import io.pipelinepulse.localstack.kafka.ChangeProducer;
import io.pipelinepulse.schema.CrmChange;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a file of change events line by line and publishes what it can read. Bad lines are
 * reported, never fatal: one typo in a million-line export must not stop the load. A publishing
 * failure that would repeat for every line (broker gone) ends the load instead.
 */
public final class ChangeFileLoader {

  static final long PROGRESS_EVERY_LINES = 100_000;

  private final ChangeFileFormat format;
  private final ChangePublisher publisher;
  private final Consumer<String> progress;

  public ChangeFileLoader(ChangeFileFormat format, ChangePublisher publisher, Consumer<String> progress) {
    this.format = format;
    this.publisher = publisher;
    this.progress = progress;
  }

  /** Loads every line of {@code reader} and waits until each sent change is acknowledged or failed. */
  public LoadReport load(BufferedReader reader) {
    LoadReport report = new LoadReport();
    long lineNumber = 0;
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        Optional<Exception> fatal = publisher.fatalFailure();
        if (fatal.isPresent()) {
          report.aborted("publishing failed (" + ChangeProducer.describe(fatal.get()) + "); lines from "
              + lineNumber + " on were not read");
          break;
        }
        report.lineRead();
        load(line, lineNumber, report);
        if (lineNumber % PROGRESS_EVERY_LINES == 0) {
          progress.accept(report.progressLine());
        }
      }
    } catch (CharacterCodingException e) {
      report.aborted("line " + (lineNumber + 1) + " is not UTF-8 text; the rest of the file was not read");
    } catch (IOException e) {
      report.aborted("reading failed at line " + (lineNumber + 1) + ": " + e.getMessage());
    } finally {
      publisher.flush();
    }
    return report;
  }

  private void load(String line, long lineNumber, LoadReport report) {
    String text = lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      report.lineSkipped();
      return;
    }
    List<CrmChange> changes;
    try {
      changes = format.parse(trimmed);
    } catch (RejectedLineException e) {
      report.rejected(lineNumber, e.reason(), e.getMessage());
      return;
    }
    for (CrmChange change : changes) {
      report.parsed();
      publisher.send(change, failure -> {
        if (failure == null) {
          report.sent();
        } else {
          report.notSent(lineNumber, ChangeProducer.describe(failure));
        }
      });
    }
  }
}
