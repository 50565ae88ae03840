package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.localstack.cli.Args;
import io.pipelinepulse.localstack.cli.UsageException;
import java.util.Optional;
import java.util.Set;

/** The simulator's command line, checked up front so a typo fails before anything is sent. */
record SimulatorOptions(
    String bootstrap,
    String topic,
    long seed,
    int historyDays,
    boolean live,
    double speed,
    Optional<String> out,
    long maxEvents,
    boolean help) {

  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  static final String DEFAULT_TOPIC = "crm.changes";

  static final String USAGE = String.join(System.lineSeparator(),
      "Usage: CrmSimulatorMain [options]",
      "",
      "Simulates a sales organisation (4 teams, leads, opportunities, activities) and publishes its",
      "CRM changes as canonical events: first N days of history as fast as possible, ending now,",
      "then optionally a live stream.",
      "",
      "Options:",
      "  --bootstrap HOST:PORT  Kafka bootstrap servers (default " + DEFAULT_BOOTSTRAP + ")",
      "  --topic NAME           topic to publish to (default " + DEFAULT_TOPIC + ")",
      "  --seed N               random seed; the same seed gives the same organisation and history (default 42)",
      "  --history-days N       days of history to generate, ending at the current time (default 14)",
      "  --live                 after the history, keep producing live events stamped with the wall clock",
      "  --speed N              with --live: how many times faster than real time the organisation works (default 60)",
      "  --out FILE             write canonical JSON lines to FILE ('-' for standard output) instead of Kafka",
      "  --max-events N         stop after N events",
      "  --help                 show this help",
      "");

  static SimulatorOptions parse(String[] argv) throws UsageException {
    Args args = Args.parse(argv,
        Set.of("--bootstrap", "--topic", "--seed", "--history-days", "--speed", "--out", "--max-events"),
        Set.of("--live", "--help", "-h"));
    boolean help = args.has("--help") || args.has("-h");
    if (!args.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
    }
    if (args.has("--out") && (args.has("--bootstrap") || args.has("--topic"))) {
      throw new UsageException("option --out writes a file; it cannot be combined with "
          + (args.has("--bootstrap") ? "--bootstrap" : "--topic"));
    }
    if (args.has("--speed") && !args.has("--live")) {
      throw new UsageException("option --speed only applies with --live");
    }
    long historyDays = args.longValue("--history-days", 14, 0);
    if (historyDays > 3650) {
      throw new UsageException("option --history-days must be at most 3650, got " + historyDays);
    }
    String bootstrap = args.string("--bootstrap", DEFAULT_BOOTSTRAP);
    if (!bootstrap.contains(":")) {
      throw new UsageException("option --bootstrap: '" + bootstrap + "' is not HOST:PORT");
    }
    return new SimulatorOptions(
        bootstrap,
        args.string("--topic", DEFAULT_TOPIC),
        args.longValue("--seed", 42, Long.MIN_VALUE),
        (int) historyDays,
        args.has("--live"),
        args.doubleValue("--speed", 60),
        Optional.ofNullable(args.string("--out", null)),
        args.longValue("--max-events", Long.MAX_VALUE, 1),
        help);
  }
}
