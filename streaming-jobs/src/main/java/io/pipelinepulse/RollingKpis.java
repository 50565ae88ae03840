package io.pipelinepulse;

import io.pipelinepulse.deals.ClosedDealsKpi;
import io.pipelinepulse.facts.DealClosed;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.LeadResolved;
import io.pipelinepulse.facts.LeadTouched;
import io.pipelinepulse.facts.OpenDealDelta;
import io.pipelinepulse.facts.StageExit;
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
  static Measurement measure(Fact fact) {
    if (fact instanceof StageExit exit) {
      return StageConversionKpi.measure(exit).kpi(STAGE_CONVERSION);
    }
    if (fact instanceof DealClosed closed) {
      return ClosedDealsKpi.measure(closed).kpi(CLOSED_DEALS);
    }
    if (fact instanceof OpenDealDelta open && open.state() == OpenDealDelta.State.OPEN) {
      return ClosedDealsKpi.measureOpen(open).kpi(CLOSED_DEALS);
    }
    if (fact instanceof LeadTouched touched) {
      return LeadResponseKpi.measure(touched).kpi(LEAD_RESPONSE);
    }
    if (fact instanceof LeadResolved resolved) {
      return LeadResponseKpi.measure(resolved).kpi(LEAD_RESPONSE);
    }
    return null;
  }
}
