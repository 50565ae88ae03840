package io.pipelinepulse.localstack.simulator;

/**
 * Salesforce's default opportunity stages, in pipeline order, with their default probabilities.
 * The behaviour columns shape the funnel: most deals are lost early, few regress, and a deal
 * sometimes jumps a stage when a buyer moves fast.
 */
enum OpportunityStage {
  //                                           prob  days  loss  back  skip  stall
  PROSPECTING("Prospecting",                    10,  4.0, 0.20, 0.00, 0.08, 0.6),
  QUALIFICATION("Qualification",                10,  5.0, 0.16, 0.04, 0.06, 0.8),
  NEEDS_ANALYSIS("Needs Analysis",              20,  6.0, 0.12, 0.05, 0.08, 1.0),
  VALUE_PROPOSITION("Value Proposition",        50,  5.0, 0.10, 0.06, 0.10, 1.2),
  ID_DECISION_MAKERS("Id. Decision Makers",     60,  5.0, 0.08, 0.06, 0.08, 1.3),
  PERCEPTION_ANALYSIS("Perception Analysis",    70,  4.0, 0.08, 0.06, 0.05, 1.2),
  PROPOSAL("Proposal/Price Quote",              75,  6.0, 0.10, 0.07, 0.00, 1.3),
  NEGOTIATION("Negotiation/Review",             90,  7.0, 0.14, 0.05, 0.00, 1.0),
  CLOSED_WON("Closed Won",                     100,  0.0, 0.00, 0.00, 0.00, 0.0),
  CLOSED_LOST("Closed Lost",                     0,  0.0, 0.00, 0.00, 0.00, 0.0);

  private final String label;
  private final double probability;
  private final double medianDays;
  private final double lossRate;
  private final double regressRate;
  private final double skipRate;
  private final double stallWeight;

  /**
   * @param medianDays median time in the stage before the deal moves on (before the team's pace)
   * @param lossRate chance the deal is lost when it leaves the stage
   * @param regressRate chance it falls back to an earlier stage
   * @param skipRate chance it jumps over the next stage
   * @param stallWeight how prone deals are to go silent in this stage, relative to the team's rate
   */
  OpportunityStage(String label, double probability, double medianDays, double lossRate, double regressRate,
      double skipRate, double stallWeight) {
    this.label = label;
    this.probability = probability;
    this.medianDays = medianDays;
    this.lossRate = lossRate;
    this.regressRate = regressRate;
    this.skipRate = skipRate;
    this.stallWeight = stallWeight;
  }

  String label() {
    return label;
  }

  double probability() {
    return probability;
  }

  double medianDays() {
    return medianDays;
  }

  double lossRate() {
    return lossRate;
  }

  double regressRate() {
    return regressRate;
  }

  double skipRate() {
    return skipRate;
  }

  double stallWeight() {
    return stallWeight;
  }

  boolean isClosed() {
    return this == CLOSED_WON || this == CLOSED_LOST;
  }

  /** Open stages only; moving past the last open stage wins the deal. */
  static OpportunityStage openStage(int index) {
    OpportunityStage[] all = values();
    if (index >= NEGOTIATION.ordinal() + 1) {
      return CLOSED_WON;
    }
    return all[Math.max(0, index)];
  }
}
