package io.pipelinepulse.topics;

/** The job's topics are not there and cannot be made so; the message says which and what to do. */
public final class TopicSetupException extends RuntimeException {

  public TopicSetupException(String message) {
    super(message);
  }

  public TopicSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
