package io.pipelinepulse.schema.codec;

/** An input record that cannot be read; {@link #reason()} is the dead-letter reason code. */
public final class UndecodableRecordException extends RuntimeException {

  private final String reason;

  public UndecodableRecordException(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
