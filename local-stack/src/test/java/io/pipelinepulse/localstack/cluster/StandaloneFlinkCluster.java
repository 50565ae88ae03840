package io.pipelinepulse.localstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster as the distribution's {@code jobmanager.sh start-foreground}
 * and {@code taskmanager.sh start-foreground} run it, built from the jars Maven copied to
 * {@code local-stack/target/lib} (there is no {@code flink-dist} on Maven Central): one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}),
 * each its own {@code java} process reading a generated {@code config.yaml} from
 * {@code --configDir}, everything bound to 127.0.0.1 on free ports.
 *
 * <p>The cluster's classpath holds only what a Flink installation's {@code lib/} would: Flink, its
 * logging and Jackson/YAML, not the project's jars nor anything the job jar bundles (Kafka
 * connector and client, Avro, the Prometheus client), so a job submitted to it runs on the classes
 * of its uploaded jar.
 *
 * <p>Processes are stopped by their own process id ({@link #close()}), TaskManager first; a JVM
 * shutdown hook does the same if the test JVM goes away without closing.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

  /**
   * {@code env.java.opts.all} of the configuration file the Flink distribution ships
   * ({@code flink-dist/src/main/resources/config.yaml}): the module openings Flink needs on Java 17.
   */
  static final List<String> JAVA_17_OPTS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** Jars of {@code target/lib} that are not Flink's: the project's own, and what the job jar bundles. */
  private static final List<String> NOT_ON_CLUSTER_CLASSPATH = List.of(
      "streaming-jobs-", "schemas-", "flink-connector-kafka", "kafka-clients", "flink-avro", "avro-",
      "prometheus-metrics-");

  private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final String JOB_MANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private final Path home;
  private final Path confDir;
  private final Path logDir;
  private final List<Path> classpath;
  private final int restPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Thread shutdownHook = new Thread(this::stopProcesses, "stop-flink-cluster");
  private Process jobManager;
  private Process taskManager;

  private StandaloneFlinkCluster(Path home, List<Path> classpath, int restPort) {
    this.home = home;
    this.confDir = home.resolve("conf");
    this.logDir = home.resolve("log");
    this.classpath = classpath;
    this.restPort = restPort;
  }

  /**
   * Writes the configuration under {@code home} with {@code extraConfig} lines appended, puts each
   * plugin jar into {@code plugins/<name>/} as a Flink installation holds it, starts JobManager and
   * TaskManager, waits for both slots.
   */
  static StandaloneFlinkCluster start(Path libDir, Path home, Duration timeout, List<String> extraConfig,
      Map<String, Path> plugins) throws Exception {
    StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(home, clusterClasspath(libDir), freePort());
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.writeConfiguration(freePort(), extraConfig);
      for (Map.Entry<String, Path> plugin : plugins.entrySet()) {
        Path folder = Files.createDirectories(home.resolve("plugins").resolve(plugin.getKey()));
        Files.copy(plugin.getValue(), folder.resolve(plugin.getValue().getFileName()));
      }
      cluster.startProcesses();
      cluster.awaitSlots(2, timeout);
      return cluster;
    } catch (Throwable e) {
      cluster.dumpLogs(System.out);
      cluster.close();
      throw e;
    }
  }

  /** The jars of {@code lib} a Flink installation's {@code lib/} would hold, in name order. */
  static List<Path> clusterClasspath(Path libDir) throws IOException {
    try (Stream<Path> jars = Files.list(libDir)) {
      return jars
          .filter(jar -> jar.getFileName().toString().endsWith(".jar"))
          .filter(jar -> NOT_ON_CLUSTER_CLASSPATH.stream().noneMatch(jar.getFileName().toString()::startsWith))
          .sorted()
          .toList();
    }
  }

  List<Path> classpath() {
    return classpath;
  }

  /** Whether any jar of the cluster's classpath holds {@code entry} (a class file's path). */
  boolean classpathContains(String entry) throws IOException {
    for (Path jar : classpath) {
      try (JarFile file = new JarFile(jar.toFile())) {
        if (file.getEntry(entry) != null) {
          return true;
        }
      }
    }
    return false;
  }

  String restUrl() {
    return "http://127.0.0.1:" + restPort;
  }

  private void writeConfiguration(int rpcPort, List<String> extraConfig) throws IOException {
    Files.createDirectories(confDir);
    Files.createDirectories(logDir);
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    Files.writeString(confDir.resolve("config.yaml"), String.join("\n",
        "# Flink standalone session cluster of FlinkClusterSubmitIT: everything on 127.0.0.1",
        "env.java.opts.all: " + String.join(" ", JAVA_17_OPTS),
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.memory.process.size: 1g",
        "jobmanager.execution.failover-strategy: region",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: 2",
        "taskmanager.memory.process.size: 1500m",
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
        "parallelism.default: 1",
        // temporary files (the RPC system's jar, uploaded jars, blobs) under target/, not in /tmp
        "io.tmp.dirs: " + tmp,
        "web.tmpdir: " + tmp.resolve("web"),
        String.join("\n", extraConfig),
        ""), StandardCharsets.UTF_8);
    // like the distribution's log4j.properties: one file per process, named by -Dlog.file
    Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
        "monitorInterval = 0",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = MainAppender",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        // appended: Flink's component class loaders (RPC system, user code) open their own logger
        // contexts on the same file, and each would truncate it otherwise
        "appender.main.append = true",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
        ""), StandardCharsets.UTF_8);
  }

  private void startProcesses() throws Exception {
    // jobmanager.sh: JVM parameters and -D memory settings derived from the configuration
    ResourceParams jm = resourceParams("GET_JM_RESOURCE_PARAMS");
    List<String> jmCommand = new ArrayList<>();
    jmCommand.add(java());
    jmCommand.addAll(jm.jvmParams());
    jmCommand.addAll(JAVA_17_OPTS);
    jmCommand.addAll(logSettings("jobmanager"));
    jmCommand.addAll(List.of("-classpath", classpathString(), JOB_MANAGER_CLASS,
        "--configDir", confDir.toString(), "--executionMode", "cluster"));
    jmCommand.addAll(jm.dynamicConfigs());
    jobManager = launch(jmCommand, "jobmanager");

    // taskmanager.sh: G1 when no other JVM options are set, then the TaskManager's JVM parameters
    // (heap, direct memory, metaspace) and its memory layout as -D dynamic configuration; without
    // the latter TaskManagerRunner refuses to start.
    ResourceParams tm = resourceParams("GET_TM_RESOURCE_PARAMS");
    List<String> tmCommand = new ArrayList<>();
    tmCommand.add(java());
    tmCommand.add("-XX:+UseG1GC");
    tmCommand.addAll(tm.jvmParams());
    tmCommand.addAll(JAVA_17_OPTS);
    tmCommand.addAll(logSettings("taskmanager"));
    tmCommand.addAll(List.of("-classpath", classpathString(), TASK_MANAGER_CLASS, "--configDir", confDir.toString()));
    tmCommand.addAll(tm.dynamicConfigs());
    taskManager = launch(tmCommand, "taskmanager");
  }

  private List<String> logSettings(String name) {
    return List.of(
        "-Dlog.file=" + logDir.resolve(name + ".log"),
        "-Dlog4j.configuration=file:" + confDir.resolve("log4j.properties"),
        "-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"),
        "-Djava.io.tmpdir=" + home.resolve("tmp"));
  }

  private Process launch(List<String> command, String name) throws IOException {
    Files.writeString(logDir.resolve(name + ".command"), String.join(" ", command) + "\n");
    ProcessBuilder builder = new ProcessBuilder(command);
    // as flink's scripts set it, for the plugin jars under plugins/
    builder.environment().put("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
    return builder
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve(name + ".out").toFile())
        .start();
  }

  record ResourceParams(List<String> jvmParams, List<String> dynamicConfigs) {}

  /**
   * What {@code BashJavaUtils <command> --configDir <conf>} prints as its two result lines: the
   * JVM parameters, then the dynamic configuration ({@code -D key=value ...}); the scripts split
   * both on blanks.
   */
  private ResourceParams resourceParams(String command) throws Exception {
    Path output = logDir.resolve("bash-java-utils-" + command + ".out");
    Process process = new ProcessBuilder(java(), "-classpath", classpathString(),
        "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir.toString())
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("BashJavaUtils " + command + " did not finish in 60 s");
    }
    String text = Files.readString(output);
    List<String> results = text.lines()
        .filter(line -> line.startsWith(EXEC_RESULT))
        .map(line -> line.substring(EXEC_RESULT.length()).trim())
        .toList();
    if (process.exitValue() != 0 || results.size() != 2) {
      throw new IllegalStateException("BashJavaUtils " + command + " exited with " + process.exitValue()
          + " and " + results.size() + " result lines (expected 2):\n" + text);
    }
    return new ResourceParams(split(results.get(0)), split(results.get(1)));
  }

  private static List<String> split(String line) {
    return line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
  }

  private String classpathString() {
    return String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits until the JobManager's REST API reports one TaskManager with {@code slots} slots. */
  private void awaitSlots(int slots, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      assertAlive();
      try {
        JsonNode overview = get("/overview");
        last = overview.toString();
        if (overview.path("taskmanagers").asInt() == 1 && overview.path("slots-total").asInt() == slots) {
          return;
        }
      } catch (IOException notUpYet) {
        // the REST endpoint comes up a few seconds after the JobManager starts
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Flink cluster not ready in " + timeout + ": " + last);
  }

  void assertAlive() {
    if (jobManager != null && !jobManager.isAlive()) {
      throw new AssertionError("the JobManager exited with " + jobManager.exitValue());
    }
    if (taskManager != null && !taskManager.isAlive()) {
      throw new AssertionError("the TaskManager exited with " + taskManager.exitValue());
    }
  }

  // ---- REST API, as the CLI's RestClusterClient uses it -----------------------------------------------

  /** POST /jars/upload (multipart, field {@code jarfile}); returns the jar id. */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "----pipeline-pulse-" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(jar),
            HttpRequest.BodyPublishers.ofByteArray(tail)))
        .build();
    JsonNode answer = send(request, 200);
    if (!"success".equals(answer.path("status").asText())) {
      throw new IOException("jar upload failed: " + answer);
    }
    String filename = answer.path("filename").asText();
    return filename.substring(filename.lastIndexOf('/') + 1);
  }

  /** POST /jars/{id}/run with the program arguments; the JobManager runs the jar's main. Returns the job id. */
  String runJar(String jarId, List<String> programArgs) throws IOException, InterruptedException {
    String body = json.writeValueAsString(java.util.Map.of("programArgsList", programArgs));
    HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/" + jarId + "/run"))
        .timeout(Duration.ofSeconds(90))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return send(request, 200).path("jobid").asText();
  }

  /** GET /jobs/{id}: the job's state (CREATED, RUNNING, FAILED, CANCELED, ...). */
  String jobState(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Polls the job's state until it is {@code state}; fails early on a terminal state that is not it. */
  void awaitJobState(String jobId, String state, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String current = "(unknown)";
    while (System.nanoTime() < deadline) {
      assertAlive();
      current = jobState(jobId);
      if (current.equals(state)) {
        return;
      }
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(current)) {
        break;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + jobId + " is " + current + ", not " + state + "; exceptions: "
        + get("/jobs/" + jobId + "/exceptions"));
  }

  /** PATCH /jobs/{id}?mode=cancel */
  void cancelJob(String jobId) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
        .timeout(Duration.ofSeconds(30))
        .method("PATCH", HttpRequest.BodyPublishers.noBody())
        .build(), 202);
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build(), 200);
  }

  private JsonNode send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expectedStatus) {
      throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
          + response.body());
    }
    String body = response.body();
    return body.isBlank() ? json.createObjectNode() : json.readTree(body);
  }

  // ---- logs and shutdown -------------------------------------------------------------------------------

  /** Prints every log of the cluster (the processes' console output, their log files, BashJavaUtils output). */
  void dumpLogs(PrintStream out) {
    if (!Files.isDirectory(logDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int from = Math.max(0, lines.size() - 400);
        out.println("==================== " + file + (from > 0 ? " (last 400 lines)" : "") + " ====================");
        lines.subList(from, lines.size()).forEach(out::println);
      }
    } catch (IOException e) {
      out.println("cannot read the cluster logs in " + logDir + ": " + e);
    }
  }

  Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or has run
    }
  }

  private synchronized void stopProcesses() {
    stop(taskManager);
    stop(jobManager);
  }

  /** Stops one process by its id: SIGTERM, up to 20 s to exit, then SIGKILL. */
  private static void stop(Process process) {
    if (process == null || !process.isAlive()) {
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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
