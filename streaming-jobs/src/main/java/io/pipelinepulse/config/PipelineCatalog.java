package io.pipelinepulse.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The configured pipelines: stage order, won and lost stages. */
public record PipelineCatalog(String defaultPipeline, Map<String, Pipeline> pipelines) implements Serializable {

  /** One pipeline's open stages in order, and its closing stages. */
  public record Pipeline(List<String> stages, String won, String lost) implements Serializable {

    /** Position of an open stage, -1 for a stage that is not one of the open stages. */
    public int orderOf(String stage) {
      return stages.indexOf(stage);
    }

    public boolean isWon(String stage) {
      return won.equals(stage);
    }

    public boolean isLost(String stage) {
      return lost.equals(stage);
    }

    public boolean isClosed(String stage) {
      return isWon(stage) || isLost(stage);
    }
  }

  /** The pipeline a record belongs to: its own when configured, else the default. */
  public String resolve(String pipeline) {
    return pipeline != null && pipelines.containsKey(pipeline) ? pipeline : defaultPipeline;
  }

  public Pipeline get(String resolvedPipeline) {
    return pipelines.get(resolvedPipeline);
  }
}
