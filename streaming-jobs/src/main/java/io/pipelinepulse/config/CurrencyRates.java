package io.pipelinepulse.config;

import java.io.Serializable;
import java.util.Map;

/** Converts amounts to the reporting currency with the configured rates. */
public record CurrencyRates(String reportingCurrency, Map<String, Double> rates) implements Serializable {

  public boolean knows(String currency) {
    return rates.containsKey(currency);
  }

  /** The amount in the reporting currency; a null currency means the reporting currency. */
  public double toReporting(double amount, String currency) {
    if (currency == null) {
      return amount;
    }
    Double rate = rates.get(currency);
    if (rate == null) {
      throw new IllegalArgumentException("no rate for currency " + currency);
    }
    return amount * rate;
  }
}
