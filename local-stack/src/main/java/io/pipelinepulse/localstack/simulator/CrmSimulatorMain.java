package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.localstack.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Command line of the CRM simulator; {@code --help} lists the options. Exit code 0 when every
 * event was delivered, 1 on a usage error or when delivery failed.
 */
public final class CrmSimulatorMain {

  private CrmSimulatorMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.parse(args);
    } catch (UsageException e) {
      err.println("crm-simulator: " + e.getMessage());
      err.println("Run with --help for the options.");
      return 1;
    }
    if (options.help()) {
      out.print(SimulatorOptions.USAGE);
      return 0;
    }
    boolean toStdout = options.out().map("-"::equals).orElse(false);
    PrintStream log = toStdout ? err : out;
    ChangeSink sink;
    try {
      sink = openSink(options, toStdout);
    } catch (IOException | RuntimeException e) {
      err.println("crm-simulator: cannot open " + options.out().map(f -> "file " + f).orElse("Kafka producer")
          + ": " + e.getMessage());
      return 1;
    }
    SimulatorRun run = new SimulatorRun(options, sink, log);
    // Ctrl-C: stop producing, but let the run deliver what it has and print its summary.
    Thread onShutdown = new Thread(() -> {
      run.requestStop();
      try {
        run.awaitFinished(Duration.ofSeconds(40));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "crm-simulator-shutdown");
    Runtime.getRuntime().addShutdownHook(onShutdown);
    try {
      return run.execute();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onShutdown);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running; it returns once execute() has finished
      }
    }
  }

  private static ChangeSink openSink(SimulatorOptions options, boolean toStdout) throws IOException {
    if (toStdout) {
      return JsonLinesChangeSink.toStdout();
    }
    if (options.out().isPresent()) {
      return JsonLinesChangeSink.toFile(Path.of(options.out().get()));
    }
    return new KafkaChangeSink(options.bootstrap(), options.topic());
  }
}
