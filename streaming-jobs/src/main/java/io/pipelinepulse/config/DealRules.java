package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * When an open deal counts as stalled (idle longer than the threshold of its pipeline and stage)
 * and as slipping (its close date pushed later this many times), and how long a deal created
 * without a stage is remembered for its stage to follow ({@code stagelessRetention}, after its last
 * change).
 */
public record DealRules(Duration stalledAfter, Map<String, Map<String, Duration>> stalledAfterByStage,
    int slippedAfterPushes, Duration stagelessRetention)
    implements Serializable {

  public long stallThresholdMillis(String pipeline, String stage) {
    Duration byStage = stalledAfterByStage.getOrDefault(pipeline, Map.of()).get(stage);
    return (byStage == null ? stalledAfter : byStage).toMillis();
  }
}
