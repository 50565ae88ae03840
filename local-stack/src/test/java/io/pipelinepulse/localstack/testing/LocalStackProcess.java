package io.pipelinepulse.localstack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code local-stack/run} as a user starts it, on the built jars ({@code --no-build}), with its
 * output in a file; stopped with Ctrl-C (SIGINT), after which none of the processes it started
 * may be left.
 */
public final class LocalStackProcess {

  public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private final Process process;
  private final Path output;
  private final Set<Long> started = new HashSet<>();

  private LocalStackProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code local-stack/run --no-build --data DATA ARGS...}, its output going to {@code output}. */
  public static LocalStackProcess start(Path data, Path output, List<String> args) throws IOException {
    // A process started in the background of a non-interactive shell ignores SIGINT, and so would
    // the stack (bash cannot trap a signal ignored on entry): restore its default, as a terminal has it.
    List<String> command = new ArrayList<>(List.of("perl", "-e",
        "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"cannot run $ARGV[0]: $!\\n\";",
        ROOT.resolve("local-stack/run").toString(), "--no-build", "--data", data.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new LocalStackProcess(process, output);
  }

  public String output() throws IOException {
    return Files.readString(output);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Notes the processes the stack has started so far, to check later that they are gone. */
  public void track() {
    process.descendants().forEach(p -> started.add(p.pid()));
  }

  public Set<Long> started() {
    return Set.copyOf(started);
  }

  /** Fails with the stack's output if it exited. */
  public void assertAlive() throws IOException {
    track();
    if (!process.isAlive()) {
      throw new AssertionError("local-stack/run exited early:\n" + output());
    }
  }

  /** Ctrl-C, then waits for the stack to exit; returns its exit code. */
  public int stopWithCtrlC() throws Exception {
    track();
    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    boolean exited = process.waitFor(90, TimeUnit.SECONDS);
    assertThat(exited).as("local-stack/run exits after SIGINT; output:\n%s", output()).isTrue();
    return process.exitValue();
  }

  public void assertAllGone() {
    for (long pid : started) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("process %d still alive after the stack stopped", pid).isFalse();
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
