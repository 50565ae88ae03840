package io.pipelinepulse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster (the Debian package's binaries) on a loopback port, with logical
 * decoding on, run as the {@code postgres} system user (the server refuses root), in a folder of
 * its own that {@link #close()} stops and deletes. The system's own cluster is left alone.
 */
public final class PostgresCluster implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresCluster(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  public static PostgresCluster start() throws Exception {
    Path bin = binaries();
    // /tmp, not the build folder: the postgres user must reach the data folder through every parent
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "pulse-postgres-");
    run(List.of("chown", "postgres:postgres", dir.toString()));
    PostgresCluster cluster = new PostgresCluster(bin, dir, PulseJobRunner.freePort());
    try {
      cluster.asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
          "-U", "postgres", "--no-sync", "-E", "UTF8");
      cluster.asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
          "-p " + cluster.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c wal_level=logical"
              + " -c max_replication_slots=4 -c max_wal_senders=4 -c fsync=off", "start");
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** The newest installed server version's bin folder. */
  private static Path binaries() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException(
              "no PostgreSQL server in /usr/lib/postgresql: install Debian's postgresql package (.ci/run does)"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalStateException("no PostgreSQL server: install Debian's postgresql package (.ci/run does)");
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Runs each statement in its own transaction. */
  public void execute(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private void asPostgres(String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    run(full);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  /** Stops the server (pg_ctl signals the process of its pid file) and deletes the folder. */
  @Override
  public void close() throws Exception {
    if (Files.exists(dir.resolve("data/postmaster.pid"))) {
      asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
