package io.pipelinepulse.localstack.load;

import io.pipelinepulse.localstack.cli.Args;
import io.pipelinepulse.localstack.cli.UsageException;
import io.pipelinepulse.localstack.kafka.ChangeProducer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Loads a file of change events (JSON lines) into the input topic, for trying the monitor on an
 * export of one's own CRM. Exit code 0 when every line was sent, 2 when some lines were rejected,
 * 1 on a usage or I/O error or when changes could not be sent.
 */
public final class LoaderMain {

  static final String DEFAULT_FORMAT = "canonical";
  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  static final String DEFAULT_TOPIC = "crm.changes";

  private LoaderMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static String usage() {
    StringBuilder formats = new StringBuilder();
    for (ChangeFileFormat format : ChangeFileFormats.all()) {
      formats.append(String.format("  %-22s %s%n", format.name(), format.description()));
    }
    return String.join(System.lineSeparator(),
        "Usage: LoaderMain [--format FORMAT] [--bootstrap HOST:PORT] [--topic NAME] FILE",
        "",
        "Publishes the change events in FILE (JSON lines; blank lines and lines starting with # are",
        "skipped) to Kafka, keyed by record id, Avro single-object encoded, and reports every line",
        "that could not be read.",
        "",
        "Options:",
        "  --format FORMAT        format of FILE (default " + DEFAULT_FORMAT + ")",
        "  --bootstrap HOST:PORT  Kafka bootstrap servers (default " + DEFAULT_BOOTSTRAP + ")",
        "  --topic NAME           topic to publish to (default " + DEFAULT_TOPIC + ")",
        "  --help                 show this help",
        "",
        "Formats:",
        formats.toString().stripTrailing(),
        "",
        "Exit code: 0 all lines sent, 2 some lines rejected, 1 usage, file or Kafka error.",
        "");
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args args;
    ChangeFileFormat format;
    Path file;
    String bootstrap;
    String topic;
    try {
      args = Args.parse(argv, Set.of("--format", "--bootstrap", "--topic"), Set.of("--help", "-h"));
      if (args.has("--help") || args.has("-h")) {
        out.print(usage());
        return 0;
      }
      format = ChangeFileFormats.named(args.string("--format", DEFAULT_FORMAT));
      bootstrap = args.string("--bootstrap", DEFAULT_BOOTSTRAP);
      topic = args.string("--topic", DEFAULT_TOPIC);
      if (args.positional().isEmpty()) {
        throw new UsageException("no FILE given");
      }
      if (args.positional().size() > 1) {
        throw new UsageException("one FILE expected, got " + args.positional().size() + ": " + String.join(" ", args.positional()));
      }
      file = Path.of(args.positional().get(0));
    } catch (UsageException e) {
      err.println("loader: " + e.getMessage());
      err.println("Run with --help for the options.");
      return 1;
    }

    if (!Files.exists(file)) {
      err.println("loader: cannot read " + file + ": no such file");
      return 1;
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      err.println("loader: cannot read " + file + ": " + (Files.isDirectory(file) ? "it is a directory" : "permission denied"));
      return 1;
    }
    String destination = "topic " + topic + " at " + bootstrap;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        ChangeProducer producer = new ChangeProducer(bootstrap, topic, "pipeline-pulse-loader")) {
      out.println("loader: loading " + file + " (" + format.name() + ") into " + destination);
      ChangeFileLoader loader = new ChangeFileLoader(format, ChangePublisher.kafka(producer), line -> out.println("loader: " + line));
      LoadReport report = loader.load(reader);
      out.print(report.render(file.toString(), format.name(), destination));
      producer.fatalFailure().map(e -> ChangeProducer.hint(e, bootstrap, topic))
          .filter(hint -> !hint.isEmpty())
          .ifPresent(hint -> err.println("loader: " + hint));
      return report.exitCode();
    } catch (IOException e) {
      err.println("loader: cannot read " + file + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // e.g. an unresolvable bootstrap address makes the producer refuse to start
      err.println("loader: cannot publish to " + destination + ": " + ChangeProducer.describe(rootCause(e)));
      return 1;
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
