package io.pipelinepulse.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every series the job publishes (README, "What it publishes"), declared once: its name, its labels and its help
 * text. The endpoint takes the help from here; tests hold the job's output, the README's table,
 * the Prometheus rules and the dashboards to it.
 */
public final class MetricCatalog {

  /** A published series: its name as exposed, its label names, and what it means. */
  public record Metric(String name, List<String> labels, String help) {}

  private static final List<String> STAGE = List.of("pipeline", "stage", "team");
  private static final List<String> STAGE_WINDOW = List.of("pipeline", "stage", "team", "window");
  private static final List<String> DEAL_WINDOW = List.of("pipeline", "team", "window");
  private static final List<String> LEAD = List.of("team", "lead_source");
  private static final List<String> LEAD_WINDOW = List.of("team", "lead_source", "window");

  private static final Map<String, Metric> METRICS = new LinkedHashMap<>();

  static {
    declare("pulse_stage_exits", STAGE_WINDOW,
        "Opportunities that left the stage in the window (stage change, close or delete)");
    declare("pulse_stage_advances", STAGE_WINDOW, "Stage exits in the window that went to a later stage or to won");
    declare("pulse_stage_conversion_ratio", STAGE_WINDOW,
        "Stage advances / stage exits in the window; absent without exits");
    declare("pulse_deals_closed", List.of("pipeline", "team", "window", "outcome"),
        "Opportunities closed in the window, by outcome");
    declare("pulse_win_ratio", DEAL_WINDOW,
        "Won / (won + lost) over opportunities closed in the window; absent without closes");
    declare("pulse_sales_cycle_seconds", List.of("pipeline", "team", "window", "quantile"),
        "Creation to close-won of deals won in the window, quantiles within 1% of the exact value");
    declare("pulse_won_amount_average", DEAL_WINDOW,
        "Average amount of deals won in the window, in the reporting currency");
    declare("pulse_sales_velocity_per_day", DEAL_WINDOW,
        "Open deals x win rate x average won amount / average sales cycle in days");
    declare("pulse_open_deals", STAGE, "Open opportunities now");
    declare("pulse_open_pipeline_amount", STAGE, "Amount of open opportunities now, in the reporting currency");
    declare("pulse_weighted_pipeline_amount", STAGE,
        "Probability-weighted amount of open opportunities now, in the reporting currency");
    declare("pulse_stalled_deals", STAGE, "Open opportunities idle longer than their pipeline and stage allow");
    declare("pulse_stalled_pipeline_amount", STAGE, "Amount of stalled opportunities, in the reporting currency");
    declare("pulse_deals_past_due", List.of("pipeline", "team"), "Open opportunities whose close date lies in the past");
    declare("pulse_close_date_pushes_total", List.of("pipeline", "team"),
        "Times an open opportunity's close date was moved later");
    declare("pulse_open_deals_missing_field", List.of("pipeline", "field"),
        "Open opportunities missing an amount, a close date or an owner");
    declare("pulse_leads_responded", LEAD_WINDOW, "Leads first touched in the window");
    declare("pulse_lead_first_response_seconds", List.of("team", "lead_source", "window", "quantile"),
        "Creation to first touch of leads touched in the window, quantiles within 1% of the exact value");
    declare("pulse_leads_resolved", List.of("team", "lead_source", "window", "outcome"),
        "Leads converted, disqualified or expired untouched in the window");
    declare("pulse_lead_conversion_ratio", LEAD_WINDOW,
        "Converted / (converted + disqualified) over leads resolved in the window");
    declare("pulse_leads_awaiting_response", LEAD, "Leads not touched yet");
    declare("pulse_lead_oldest_wait_seconds", LEAD, "How long the oldest untouched lead has waited");
    declare("pulse_lead_response_sla_seconds", LEAD, "The first-response SLA of the lead source (configuration)");
    declare("pulse_lead_response_sla_breaches_total", LEAD, "Leads that passed their response SLA untouched");
    declare("pulse_input_events_total", List.of("format", "entity", "outcome"),
        "Input change records by what became of them");
    declare("pulse_clock_lag_seconds", List.of(), "Wall clock minus the job's event-time now");
    declare("pulse_job_state_restored", List.of("source"), "1 for where the job's state came from: checkpoint,"
        + " savepoint, replay of the retained input, or none (empty state from committed or latest offsets)");
  }

  private MetricCatalog() {}

  private static void declare(String name, List<String> labels, String help) {
    METRICS.put(name, new Metric(name, List.copyOf(labels), help));
  }

  /** Every declared series, in the README's order. */
  public static Map<String, Metric> all() {
    return java.util.Collections.unmodifiableMap(METRICS);
  }

  public static String help(String metric) {
    Metric declared = METRICS.get(metric);
    return declared == null ? metric : declared.help();
  }
}
