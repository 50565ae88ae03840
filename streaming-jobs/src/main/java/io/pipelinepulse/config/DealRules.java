package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/** When an open deal counts as stalled: idle longer than the threshold of its pipeline and stage. */
public record DealRules(Duration stalledAfter, Map<String, Map<String, Duration>> stalledAfterByStage)
    implements Serializable {

  public long stallThresholdMillis(String pipeline, String stage) {
    Duration byStage = stalledAfterByStage.getOrDefault(pipeline, Map.of()).get(stage);
    return (byStage == null ? stalledAfter : byStage).toMillis();
  }
}
