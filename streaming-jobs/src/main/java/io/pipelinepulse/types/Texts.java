package io.pipelinepulse.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Texts in the hand-written serializers: UTF-8 behind its length, any length, or null.
 * {@code writeUTF} refuses texts over 64 KB, and a CRM field (a description, a long name) can
 * be longer: the task would fail on that record again after every restart.
 */
public final class Texts {

  private Texts() {}

  public static void write(String text, DataOutputView target) throws IOException {
    if (text == null) {
      target.writeInt(-1);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  public static String read(DataInputView source) throws IOException {
    int length = source.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    source.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
