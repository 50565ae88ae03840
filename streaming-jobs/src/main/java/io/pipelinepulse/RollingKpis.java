package io.pipelinepulse;

import io.pipelinepulse.deals.ClosedDealsKpi;
import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.funnel.StageConversionKpi;
import io.pipelinepulse.leads.LeadResponseKpi;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingKpi;

/**
 * The rolling KPIs, aggregated by one operator: which fact each measures. One keyed operator for
 * all of them, rather than one each behind a filter, gives their output one stream, written to
 * the KPI topic by a sink chained to it.
 */
final class RollingKpis {

  static final int STAGE_CONVERSION = 0;
  static final int CLOSED_DEALS = 1;
  static final int LEAD_RESPONSE = 2;

  private RollingKpis() {}

  /** The KPIs, at the indexes above. */
  static RollingKpi[] all() {
    return new RollingKpi[] {new StageConversionKpi(), new ClosedDealsKpi(), new LeadResponseKpi()};
  }

  /** The measurement a fact makes, or null when no rolling KPI counts it. */
  static Measurement measure(DealFact fact) {
    return switch (fact.kind) {
      case STAGE_EXIT -> StageConversionKpi.measure(fact).kpi(STAGE_CONVERSION);
      case CLOSED, OPEN_DELTA -> ClosedDealsKpi.measure(fact).kpi(CLOSED_DEALS);
      case LEAD_TOUCHED, LEAD_RESOLVED -> LeadResponseKpi.measure(fact).kpi(LEAD_RESPONSE);
      default -> null;
    };
  }
}
