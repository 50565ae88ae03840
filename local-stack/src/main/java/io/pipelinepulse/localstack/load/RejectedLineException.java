package io.pipelinepulse.localstack.load;

/**
 * A line a format cannot turn into changes. {@link #reason()} is short and the same for every line
 * with the same problem, so rejections can be grouped; the message says what exactly is wrong.
 */
public final class RejectedLineException extends Exception {

  private final String reason;

  public RejectedLineException(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
