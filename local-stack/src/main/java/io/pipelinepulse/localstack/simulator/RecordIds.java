package io.pipelinepulse.localstack.simulator;

import java.util.HashMap;
import java.util.Map;

/**
 * Record ids shaped like Salesforce's 15-character ids, with the real key prefixes, so the records
 * look familiar in alerts and record links.
 */
final class RecordIds {

  static final String USER = "005";
  static final String LEAD = "00Q";
  static final String OPPORTUNITY = "006";
  /** Calls, e-mails and to-dos are Salesforce Tasks. */
  static final String TASK = "00T";
  /** Meetings are Salesforce Events. */
  static final String EVENT = "00U";

  private final Map<String, Long> counters = new HashMap<>();
  /** Four characters from the seed, so runs with different seeds never share a record id. */
  private final String seedPart;

  RecordIds(long seed) {
    String base36 = Long.toString(Math.floorMod(seed, 36L * 36 * 36 * 36), 36).toUpperCase(java.util.Locale.ROOT);
    this.seedPart = "0".repeat(4 - base36.length()) + base36;
  }

  String next(String prefix) {
    long n = counters.merge(prefix, 1L, Long::sum);
    String digits = Long.toString(n);
    return prefix + seedPart + "0".repeat(Math.max(0, 8 - digits.length())) + digits;
  }
}
