package io.pipelinepulse.ingest;

import io.pipelinepulse.config.PulseConfig.DeadLetterSettings;
import io.pipelinepulse.schema.DeadLetter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Makes the dead letter of a refused input, bounded whatever the input: at most the configured
 * excerpt of its value, its key and detail cut to the same bound, and always the value's full size
 * and SHA-256 hash, so the letter fits in the dead-letter topic while the original can still be
 * found and matched in its own. Without values it keeps only what says why and where.
 */
public final class DeadLetters implements Serializable {

  /** The longest detail kept, in characters: a detail quoting a whole event says nothing more. */
  static final int MAX_DETAIL_CHARS = 2_000;

  private final int maxValueBytes;
  private final boolean includeValues;

  public DeadLetters(DeadLetterSettings settings) {
    this.maxValueBytes = settings.maxValueBytes();
    this.includeValues = settings.includeValues();
  }

  /**
   * @param operator where it was refused: {@code decode} or the operator's name
   * @param value the record's value, or the part of it that was refused; null for none
   */
  public DeadLetter of(IngestedChange origin, String operator, String reason, String detail, byte[] key,
      byte[] value) {
    DeadLetter.Builder letter = DeadLetter.newBuilder()
        .setReason(reason)
        .setOperator(operator)
        .setFormat(origin.format)
        .setTopic(origin.topic)
        .setPartition(origin.partition)
        .setOffset(origin.offset)
        .setRecordTimestamp(origin.recordTimestamp)
        .setValueSize(value == null ? -1 : value.length)
        .setValueSha256(value == null ? "" : sha256(value));
    if (!includeValues) {
      return letter.setDetail("").setKey(null).setValue(null).setValueTruncated(value != null).build();
    }
    String text = detail == null ? "" : detail;
    return letter
        .setDetail(text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + " …" : text)
        .setKey(key == null ? null : ByteBuffer.wrap(excerpt(key)))
        .setValue(value == null ? null : ByteBuffer.wrap(excerpt(value)))
        .setValueTruncated(value != null && value.length > maxValueBytes)
        .build();
  }

  private byte[] excerpt(byte[] bytes) {
    return bytes.length <= maxValueBytes ? bytes : Arrays.copyOf(bytes, maxValueBytes);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
