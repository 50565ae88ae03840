package io.pipelinepulse.lifecycle;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance of each text a record's state keeps from its changes (stage, pipeline, currency,
 * owner id): a few hundred distinct values shared by a million open records, where each change
 * arrives with its own copies. Bounded: past {@link #LIMIT} texts it starts again, so an input of
 * ever-new values costs only what it did without the pool.
 */
public final class TextPool {

  static final int LIMIT = 100_000;

  private final Map<String, String> texts = new HashMap<>();

  /** The pooled instance equal to {@code text} (null stays null). */
  public String of(String text) {
    if (text == null) {
      return null;
    }
    String pooled = texts.get(text);
    if (pooled != null) {
      return pooled;
    }
    if (texts.size() >= LIMIT) {
      texts.clear();
    }
    texts.put(text, text);
    return text;
  }
}
