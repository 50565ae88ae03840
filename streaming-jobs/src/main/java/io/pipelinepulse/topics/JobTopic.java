package io.pipelinepulse.topics;

import java.util.Map;

/**
 * A topic the job reads or writes, what it is for (as the configuration names it) and how the job
 * creates it when it is missing and {@code kafka.create-topics} is true.
 *
 * @param replicationFactor -1: the broker's default
 */
public record JobTopic(String name, String role, int partitions, int replicationFactor, Map<String, String> configs) {

  @Override
  public String toString() {
    return name + " (" + role + ")";
  }
}
