package io.pipelinepulse.localstack.cli;

/** A command line the tool cannot act on; the message names the offending option. */
public final class UsageException extends Exception {

  public UsageException(String message) {
    super(message);
  }
}
