package io.pipelinepulse.localstack.simulator;

import java.time.ZoneId;

/**
 * A sales team and the habits that set it apart. The differences are deliberate: a monitor is
 * only useful if it can show that one team answers leads slower or loses more deals than another.
 */
final class Team {

  private final String name;
  private final WorkCalendar calendar;
  private final double responseDelayFactor;
  private final double conversionFactor;
  private final double lossFactor;
  private final double paceFactor;
  private final double slipRate;
  private final double stallRate;
  private final double dealMedianUsd;
  private final double largeDealShare;

  /**
   * @param responseDelayFactor multiplies lead response delays and the chance of a late response
   * @param conversionFactor multiplies the chance that a worked lead converts
   * @param lossFactor multiplies the chance of losing a deal at each stage
   * @param paceFactor multiplies time spent in each stage (above 1 is slower)
   * @param slipRate chance that a close date is pushed when it comes near
   * @param stallRate chance that a deal goes silent for weeks on entering a stage
   * @param dealMedianUsd median deal size
   * @param largeDealShare share of deals several times the median
   */
  Team(String name, ZoneId zone, double responseDelayFactor, double conversionFactor, double lossFactor,
      double paceFactor, double slipRate, double stallRate, double dealMedianUsd, double largeDealShare) {
    this.name = name;
    this.calendar = new WorkCalendar(zone);
    this.responseDelayFactor = responseDelayFactor;
    this.conversionFactor = conversionFactor;
    this.lossFactor = lossFactor;
    this.paceFactor = paceFactor;
    this.slipRate = slipRate;
    this.stallRate = stallRate;
    this.dealMedianUsd = dealMedianUsd;
    this.largeDealShare = largeDealShare;
  }

  String name() {
    return name;
  }

  WorkCalendar calendar() {
    return calendar;
  }

  double responseDelayFactor() {
    return responseDelayFactor;
  }

  double conversionFactor() {
    return conversionFactor;
  }

  double lossFactor() {
    return lossFactor;
  }

  double paceFactor() {
    return paceFactor;
  }

  double slipRate() {
    return slipRate;
  }

  double stallRate() {
    return stallRate;
  }

  double dealMedianUsd() {
    return dealMedianUsd;
  }

  double largeDealShare() {
    return largeDealShare;
  }

  @Override
  public String toString() {
    return name;
  }
}
