package io.pipelinepulse.publish;

import java.util.Map;

/** Help text of every series the job publishes (SPEC §4), shown by Prometheus. */
final class MetricCatalog {

  private MetricCatalog() {}

  private static final Map<String, String> HELP = Map.ofEntries(
      Map.entry("pulse_stage_exits", "Opportunities that left the stage in the window (stage change, close or delete)"),
      Map.entry("pulse_stage_advances", "Stage exits in the window that went to a later stage or to won"),
      Map.entry("pulse_stage_conversion_ratio", "Stage advances / stage exits in the window; absent without exits"),
      Map.entry("pulse_open_deals", "Open opportunities now"),
      Map.entry("pulse_open_pipeline_amount", "Amount of open opportunities now, in the reporting currency"),
      Map.entry("pulse_weighted_pipeline_amount",
          "Probability-weighted amount of open opportunities now, in the reporting currency"),
      Map.entry("pulse_deals_closed", "Opportunities closed in the window, by outcome"),
      Map.entry("pulse_win_ratio", "Won / (won + lost) over opportunities closed in the window; absent without closes"),
      Map.entry("pulse_sales_cycle_seconds",
          "Creation to close-won of deals won in the window, quantiles within 1% of the exact value"),
      Map.entry("pulse_won_amount_average", "Average amount of deals won in the window, in the reporting currency"),
      Map.entry("pulse_sales_velocity_per_day",
          "Open deals x win rate x average won amount / average sales cycle in days"),
      Map.entry("pulse_stalled_deals", "Open opportunities idle longer than their pipeline and stage allow"),
      Map.entry("pulse_stalled_pipeline_amount", "Amount of stalled opportunities, in the reporting currency"),
      Map.entry("pulse_deals_past_due", "Open opportunities whose close date lies in the past"),
      Map.entry("pulse_close_date_pushes_total", "Times an open opportunity's close date was moved later"),
      Map.entry("pulse_open_deals_missing_field", "Open opportunities missing an amount, a close date or an owner"),
      Map.entry("pulse_leads_responded", "Leads first touched in the window"),
      Map.entry("pulse_lead_first_response_seconds",
          "Creation to first touch of leads touched in the window, quantiles within 1% of the exact value"),
      Map.entry("pulse_leads_resolved", "Leads converted or disqualified in the window"),
      Map.entry("pulse_lead_conversion_ratio", "Converted / (converted + disqualified) over leads resolved in the window"),
      Map.entry("pulse_leads_awaiting_response", "Leads not touched yet"),
      Map.entry("pulse_lead_oldest_wait_seconds", "How long the oldest untouched lead has waited"),
      Map.entry("pulse_lead_response_sla_seconds", "The first-response SLA of the lead source (configuration)"),
      Map.entry("pulse_lead_response_sla_breaches_total", "Leads that passed their response SLA untouched"),
      Map.entry("pulse_input_events_total", "Input change records by what became of them"),
      Map.entry("pulse_clock_lag_seconds", "Wall clock minus the job's event-time now"),
      Map.entry("pulse_job_state_restored", "1 for where the job's state came from: checkpoint, savepoint, replay"
          + " of the retained input, or none (empty state from committed or latest offsets)"));

  static String help(String metric) {
    return HELP.getOrDefault(metric, metric);
  }
}
