package io.pipelinepulse.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * When an open deal counts as stalled (idle longer than the threshold of its pipeline and stage)
 * and as slipping (its close date pushed later this many times).
 */
public record DealRules(Duration stalledAfter, Map<String, Map<String, Duration>> stalledAfterByStage,
    int slippedAfterPushes)
    implements Serializable {

  /** Rules with the default of two pushes before a deal counts as slipping. */
  public DealRules(Duration stalledAfter, Map<String, Map<String, Duration>> stalledAfterByStage) {
    this(stalledAfter, stalledAfterByStage, 2);
  }

  public long stallThresholdMillis(String pipeline, String stage) {
    Duration byStage = stalledAfterByStage.getOrDefault(pipeline, Map.of()).get(stage);
    return (byStage == null ? stalledAfter : byStage).toMillis();
  }
}
