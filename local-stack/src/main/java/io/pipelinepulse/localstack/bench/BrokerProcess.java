package io.pipelinepulse.localstack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A single-node KRaft Kafka broker as a separate process, started exactly the way
 * {@code local-stack/run} starts it (same properties, {@code StorageTool format --standalone},
 * then {@code kafka.Kafka}) on free loopback ports, with its data in a directory of its own.
 * {@link #close()} stops it by its process id: SIGTERM, then SIGKILL after 20 s.
 */
final class BrokerProcess implements AutoCloseable {

  private final Process process;
  private final String bootstrapServers;
  private final Path logFile;

  private BrokerProcess(Process process, String bootstrapServers, Path logFile) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.logFile = logFile;
  }

  /**
   * @param brokerLib the broker's classpath folder ({@code local-stack/broker/target/lib})
   * @param dir where the configuration, the data and the log go
   */
  static BrokerProcess start(Path brokerLib, Path dir, PrintStream log) throws IOException, InterruptedException {
    if (!Files.isDirectory(brokerLib)) {
      throw new IOException("the broker's classpath " + brokerLib + " is missing: build the project first");
    }
    int port = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path data = dir.resolve("kafka-data");
    Files.createDirectories(data);
    Path properties = dir.resolve("server.properties");
    Files.writeString(properties, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=4",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        ""), StandardCharsets.UTF_8);
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, String.join("\n",
        "rootLogger.level = WARN",
        "rootLogger.appenderRef.out.ref = out",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = %d %-5p [%c{1}] %m%n",
        "logger.kafka.name = kafka.server.KafkaRaftServer",
        "logger.kafka.level = INFO",
        ""), StandardCharsets.UTF_8);

    List<String> java = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx768m",
        "-cp", brokerLib.toAbsolutePath() + "/*",
        "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath()));
    Path formatLog = dir.resolve("kafka-format.log");
    String clusterId = lastLine(run(java, List.of("kafka.tools.StorageTool", "random-uuid"), formatLog));
    run(java, List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString(), "--standalone"),
        formatLog);

    Path logFile = dir.resolve("kafka.log");
    List<String> command = new ArrayList<>(java);
    command.add("kafka.Kafka");
    command.add(properties.toString());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
        .start();
    String servers = "127.0.0.1:" + port;
    BrokerProcess broker = new BrokerProcess(process, servers, logFile);
    try {
      broker.awaitReady(Duration.ofSeconds(60));
    } catch (IOException | RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
    log.printf("Kafka broker (pid %d) on %s, controller 127.0.0.1:%d, data in %s%n",
        process.pid(), servers, controllerPort, data);
    return broker;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  long pid() {
    return process.pid();
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
      admin.createTopics(List.of(topic)).all().get();
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        if (!process.isAlive()) {
          throw new IOException("the Kafka broker exited (code " + process.exitValue() + "); see " + logFile);
        }
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IOException("the Kafka broker did not answer within " + timeout.toSeconds() + " s; see " + logFile);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /** Stops the broker by its process id: SIGTERM, and SIGKILL if it is still there after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String run(List<String> java, List<String> args, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(java);
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
    byte[] output = p.getInputStream().readAllBytes();
    int code = p.waitFor();
    Files.write(log, output, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (code != 0) {
      throw new IOException(String.join(" ", args.subList(0, Math.min(2, args.size()))) + " failed (exit " + code
          + "); see " + log);
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }
}
