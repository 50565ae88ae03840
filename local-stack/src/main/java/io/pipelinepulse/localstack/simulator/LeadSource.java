package io.pipelinepulse.localstack.simulator;

/**
 * Where leads come from, with the volume and quality a typical B2B organisation sees: the web
 * brings many poor leads, referrals few good ones, bought lists arrive in bulk and are mostly
 * ignored. The spread is what makes per-source conversion and response time worth a dashboard.
 */
enum LeadSource {
  //                    label              daily batch never  spam  conv  disq  delay  size  enterprise
  WEB("Web",                               40.0,   0, 0.06, 0.03, 0.09, 0.70, 1.0,  0.8,  0.05),
  PARTNER_REFERRAL("Partner Referral",      3.0,   0, 0.01, 0.00, 0.50, 0.30, 0.6,  1.6,  0.40),
  TRADE_SHOW("Trade Show",                  0.0,  40, 0.12, 0.00, 0.14, 0.66, 2.5,  1.0,  0.25),
  PHONE_INQUIRY("Phone Inquiry",            6.0,   0, 0.01, 0.01, 0.30, 0.55, 0.3,  1.0,  0.10),
  PURCHASED_LIST("Purchased List",          0.0, 100, 0.35, 0.00, 0.03, 0.72, 5.0,  0.7,  0.00),
  EMPLOYEE_REFERRAL("Employee Referral",    2.0,   0, 0.02, 0.00, 0.40, 0.45, 0.8,  1.2,  0.20);

  private final String label;
  private final double weekdayVolume;
  private final int batchSize;
  private final double neverTouchedRate;
  private final double spamRate;
  private final double conversionRate;
  private final double disqualificationRate;
  private final double responseDelayScale;
  private final double dealSizeFactor;
  private final double enterpriseShare;

  /**
   * @param weekdayVolume leads trickling in on an average weekday (0: none)
   * @param batchSize typical size of a bulk import (0: never imported in bulk)
   * @param neverTouchedRate leads nobody ever works
   * @param spamRate leads deleted as junk without being worked
   * @param conversionRate of worked leads, the share converted (before the team's factor)
   * @param disqualificationRate of worked leads, the share disqualified; the rest stay open
   * @param responseDelayScale how long the first touch takes relative to a web lead
   * @param dealSizeFactor size of the resulting deals relative to the team's median
   * @param enterpriseShare share routed to the Enterprise team
   */
  LeadSource(String label, double weekdayVolume, int batchSize, double neverTouchedRate, double spamRate,
      double conversionRate, double disqualificationRate, double responseDelayScale, double dealSizeFactor,
      double enterpriseShare) {
    this.label = label;
    this.weekdayVolume = weekdayVolume;
    this.batchSize = batchSize;
    this.neverTouchedRate = neverTouchedRate;
    this.spamRate = spamRate;
    this.conversionRate = conversionRate;
    this.disqualificationRate = disqualificationRate;
    this.responseDelayScale = responseDelayScale;
    this.dealSizeFactor = dealSizeFactor;
    this.enterpriseShare = enterpriseShare;
  }

  String label() {
    return label;
  }

  double weekdayVolume() {
    return weekdayVolume;
  }

  int batchSize() {
    return batchSize;
  }

  double neverTouchedRate() {
    return neverTouchedRate;
  }

  double spamRate() {
    return spamRate;
  }

  double conversionRate() {
    return conversionRate;
  }

  double disqualificationRate() {
    return disqualificationRate;
  }

  double responseDelayScale() {
    return responseDelayScale;
  }

  double dealSizeFactor() {
    return dealSizeFactor;
  }

  double enterpriseShare() {
    return enterpriseShare;
  }
}
