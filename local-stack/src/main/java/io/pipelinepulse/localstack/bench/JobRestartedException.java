package io.pipelinepulse.localstack.bench;

/** The job left RUNNING during a measurement, so that measurement has no valid figure. */
final class JobRestartedException extends RuntimeException {

  JobRestartedException(String status, String cause) {
    super("the job is " + status + (cause.isEmpty() ? "" : ", because of " + cause));
  }
}
