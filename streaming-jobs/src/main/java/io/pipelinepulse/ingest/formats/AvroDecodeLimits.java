package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.config.InputLimits;
import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro's decoder allocates a string or a collection at the length the input declares before it
 * reads a byte of it, so a few bytes declaring two gigabytes end in an {@link OutOfMemoryError} no
 * catch takes. Avro bounds those lengths by system properties it reads once per JVM; this sets them
 * from {@link InputLimits} in whichever JVM decodes input, before the first decode, and makes Avro
 * read them again when it has already read them (the job's classes share a task manager with
 * others).
 */
public final class AvroDecodeLimits {

  /** More fields than any CRM object has. */
  static final int MAX_COLLECTION_ITEMS = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(AvroDecodeLimits.class);
  private static boolean applied;

  private AvroDecodeLimits() {}

  public static synchronized void apply(InputLimits limits) {
    if (applied) {
      return;
    }
    String textBytes = Integer.toString(limits.maxTextBytes());
    System.setProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, textBytes);
    System.setProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, textBytes);
    System.setProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, Integer.toString(MAX_COLLECTION_ITEMS));
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Avro's decode limits may only apply from the JVM's next start: {}", e.toString());
    }
    applied = true;
  }
}
