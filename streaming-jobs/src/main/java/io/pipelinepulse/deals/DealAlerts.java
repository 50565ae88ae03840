package io.pipelinepulse.deals;

import io.pipelinepulse.alerts.AlertTexts;
import io.pipelinepulse.alerts.RecordAlert;
import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.schema.AlertEvent;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** The per-deal alerts (README, "Per-record alerts"): what each says to the manager who gets it. */
final class DealAlerts implements Serializable {

  static final String STALLED = "DealStalled";
  static final String PAST_DUE = "DealPastDue";
  static final String SLIPPED = "DealCloseDateSlipped";
  static final List<String> NAMES = List.of(STALLED, PAST_DUE, SLIPPED);

  private final AlertSettings settings;
  private final String currency;

  DealAlerts(AlertSettings settings, String currency) {
    this.settings = settings;
    this.currency = currency;
  }

  AlertEvent firing(String name, String dealId, DealState deal, String pipeline, String team, double amount,
      long stallThreshold, long time) {
    RecordAlert alert = RecordAlert.named(name).label("team", team).label("pipeline", pipeline);
    if (name.equals(STALLED)) {
      alert.label("stage", deal.stage);
    }
    alert.label("deal_id", dealId).label("owner_id", deal.ownerId);
    String money = String.format(Locale.ROOT, "%,.2f %s", amount, currency);
    String which = AlertTexts.record(dealId, deal.name);
    switch (name) {
      case STALLED -> {
        long since = Math.max(deal.stageEnteredAt, deal.lastActivityAt);
        alert.summary(String.format(Locale.ROOT, "Deal %s has stalled in %s", which, deal.stage))
            .description(String.format(Locale.ROOT,
                "Idle since %s: no stage change or activity; the threshold for %s / %s is %s. Amount %s.",
                AlertTexts.moment(since), pipeline, deal.stage, AlertTexts.span(stallThreshold), money));
      }
      case PAST_DUE -> alert.summary(String.format(Locale.ROOT, "Deal %s is past its close date", which))
          .description(String.format(Locale.ROOT, "Close date %s has passed and the deal is still open in %s."
              + " Amount %s.", deal.closeDateText(), deal.stage, money));
      case SLIPPED -> alert.summary(String.format(Locale.ROOT, "Deal %s keeps slipping", which))
          .description(String.format(Locale.ROOT, "Close date pushed later %d times, now %s; stage %s. Amount %s.",
              deal.pushes, deal.closeDateText(), deal.stage, money));
      default -> throw new IllegalArgumentException("not a deal alert: " + name);
    }
    return alert.firing(settings, dealId, time);
  }
}
