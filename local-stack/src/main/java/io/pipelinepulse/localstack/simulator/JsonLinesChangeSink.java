package io.pipelinepulse.localstack.simulator;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Canonical JSON lines, the format the loader reads back, so a generated file can be replayed. */
final class JsonLinesChangeSink implements ChangeSink {

  private final Writer writer;
  private final String description;
  private final boolean closeUnderlying;
  private long written;

  private JsonLinesChangeSink(Writer writer, String description, boolean closeUnderlying) {
    this.writer = writer;
    this.description = description;
    this.closeUnderlying = closeUnderlying;
  }

  static JsonLinesChangeSink toFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new JsonLinesChangeSink(Files.newBufferedWriter(file, StandardCharsets.UTF_8), "file " + file, true);
  }

  static JsonLinesChangeSink toStdout() {
    return new JsonLinesChangeSink(
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), "standard output", false);
  }

  @Override
  public void accept(CrmChange change) throws IOException {
    writer.write(CanonicalJson.format(change));
    writer.write('\n');
    written++;
  }

  @Override
  public long delivered() {
    return written;
  }

  @Override
  public Optional<String> failure() {
    return Optional.empty();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    if (closeUnderlying) {
      writer.close();
    } else {
      writer.flush();
    }
  }
}
