package io.pipelinepulse;

import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.deals.CurrentStateAggregator;
import io.pipelinepulse.deals.CurrentStateSeries;
import io.pipelinepulse.deals.OpportunityLifecycle;
import io.pipelinepulse.facts.AwaitingDelta;
import io.pipelinepulse.facts.Fact;
import io.pipelinepulse.facts.FactSerializer;
import io.pipelinepulse.ingest.DeadLetters;
import io.pipelinepulse.ingest.IngestGate;
import io.pipelinepulse.ingest.IngestOutputs;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.IngestedChangeSerializer;
import io.pipelinepulse.ingest.InputOutcome;
import io.pipelinepulse.ingest.InputOutcomeCounter;
import io.pipelinepulse.ingest.OutcomeTally;
import io.pipelinepulse.ingest.UnreadableFilter;
import io.pipelinepulse.leads.AwaitingLeadsAggregator;
import io.pipelinepulse.leads.LeadLifecycle;
import io.pipelinepulse.lifecycle.RecordLifecycleOperator;
import io.pipelinepulse.lifecycle.RecordRoutes;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.types.CrmChangeSerializer;
import io.pipelinepulse.types.KpiSnapshotSerializer;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.MeasurementCombiner;
import io.pipelinepulse.window.MeasurementSerializer;
import io.pipelinepulse.window.RollingAggregator;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The job's computation, free of Kafka and HTTP: changes in (each an {@link IngestedChange} with
 * its commit time as event time and the job's clock as watermarks); KPI snapshots, alert events,
 * dead letters and gap events out. Ingest → per-deal and per-lead lifecycles (typed facts,
 * labelled with the owner's team at their moment; current state moved when an owner changes team)
 * → per-dimension KPIs. Every operator has a stable uid, so a savepoint taken by one version
 * restores into the next. {@link PulseTopology} wires it to Kafka, Prometheus and Alertmanager.
 */
public final class PulseDataflow {

  /**
   * What the computation publishes. The KPI snapshots come as the output streams of the operators
   * that make them, so that a consumer can be chained to each without a network hop.
   */
  public record Outputs(List<DataStream<KpiSnapshot>> kpiStreams, DataStream<AlertEvent> alerts,
      DataStream<DeadLetter> deadLetters, DataStream<GapEvent> gaps) {

    /** Every KPI snapshot, as one stream. */
    @SuppressWarnings("unchecked")
    public DataStream<KpiSnapshot> kpis() {
      return kpiStreams.get(0).union(kpiStreams.subList(1, kpiStreams.size()).toArray(new DataStream[0]));
    }
  }

  /** How long input outcomes are added up before they go to their counters. */
  private static final long OUTCOME_FLUSH_MILLIS = 200;

  private PulseDataflow() {}

  public static Outputs build(DataStream<IngestedChange> input, PulseConfig config) {
    DeadLetters refusals = new DeadLetters(config.deadLetters());
    SingleOutputStreamOperator<IngestedChange> readable = input
        .process(new UnreadableFilter(), IngestedChangeSerializer.TYPE).name("drop-unreadable").uid("ingest-drop-unreadable");
    // Users and activities linked to no record pass a gate of their own; every other change is
    // let in by its record's lifecycle, so it crosses the network once.
    SingleOutputStreamOperator<CrmChange> unowned = readable
        .filter(record -> RecordRoutes.ofNoRecord(record.change)).name("users-and-unlinked").uid("select-unowned")
        .keyBy(record -> record.change.getEventId())
        .process(new IngestGate(config.dedupRetention(), refusals), CrmChangeSerializer.TYPE).name("dedup-and-late").uid("ingest-gate");
    DataStream<CrmChange> users = unowned
        .filter(change -> change.getEntity() == Entity.USER).name("users").uid("select-users");
    // Every lifecycle needs owners' teams at past moments (alert labels, business hours).
    DataStream<CrmChange> ownerTeams = users.broadcast();
    SingleOutputStreamOperator<Fact> dealFacts = readable
        .filter(record -> RecordRoutes.ofDeal(record.change)).name("deal-changes").uid("select-deal-changes")
        .keyBy(record -> OpportunityLifecycle.keyOf(record.change))
        .connect(ownerTeams)
        .transform("opportunity-lifecycle", FactSerializer.TYPE, new RecordLifecycleOperator(
            new OpportunityLifecycle(config.pipelines(), config.currency(), config.deals(), config.alerts()),
            config.directory(), config.dedupRetention(), refusals))
        .uid("opportunity-lifecycle");
    SingleOutputStreamOperator<Fact> leadFacts = readable
        .filter(record -> RecordRoutes.ofLead(record.change)).name("lead-changes").uid("select-lead-changes")
        .keyBy(record -> LeadLifecycle.keyOf(record.change))
        .connect(ownerTeams)
        .transform("lead-lifecycle", FactSerializer.TYPE, new RecordLifecycleOperator(
            new LeadLifecycle(config.leads(), config.alerts()), config.directory(), config.dedupRetention(),
            refusals))
        .uid("lead-lifecycle");
    DataStream<DeadLetter> deadLetters = readable.getSideOutput(IngestOutputs.DEAD_LETTERS)
        .union(unowned.getSideOutput(IngestOutputs.DEAD_LETTERS), dealFacts.getSideOutput(IngestOutputs.DEAD_LETTERS),
            leadFacts.getSideOutput(IngestOutputs.DEAD_LETTERS));
    DataStream<KpiSnapshot> inputCounts = tallied(readable, "readable")
        .union(tallied(unowned, "unowned"), tallied(dealFacts, "deal-changes"), tallied(leadFacts, "lead-changes"))
        .keyBy(InputOutcome::counterKey)
        .process(new InputOutcomeCounter(1000), KpiSnapshotSerializer.TYPE).name("count-input-outcomes").uid("input-outcome-counter");
    // Every fact leaves its lifecycle labelled with its owner's team, moves included.
    List<DataStream<Fact>> labelled = List.of(dealFacts, leadFacts);
    List<String> sources = List.of("deal", "lead");

    DataStream<Measurement> measurements = null;
    DataStream<Fact> stateDeltas = null;
    for (int i = 0; i < labelled.size(); i++) {
      // Added up per dimension and minute where the facts are made: one record per bucket, not per fact, to shuffle.
      DataStream<Measurement> measured = labelled.get(i)
          .transform("measure-rolling-kpis", MeasurementSerializer.TYPE,
              new MeasurementCombiner<Fact>(RollingKpis::measure))
          .uid("measure-rolling-kpis-" + sources.get(i));
      DataStream<Fact> deltas = labelled.get(i)
          .filter(CurrentStateSeries::changes).name("current-state-deltas")
          .uid("select-current-state-deltas-" + sources.get(i));
      measurements = measurements == null ? measured : measurements.union(measured);
      stateDeltas = stateDeltas == null ? deltas : stateDeltas.union(deltas);
    }
    DataStream<KpiSnapshot> dealStates = stateDeltas
        .keyBy(CurrentStateSeries::keyOf)
        .process(new CurrentStateAggregator(config.clock().currentStateStep()), KpiSnapshotSerializer.TYPE).name("deal-states").uid("deal-states");
    DataStream<KpiSnapshot> rolling = measurements
        .keyBy(Measurement::key)
        .process(new RollingAggregator(RollingKpis.all()), KpiSnapshotSerializer.TYPE).name("rolling-kpis").uid("rolling-kpis");
    DataStream<KpiSnapshot> awaitingLeads = leadFacts
        .flatMap((Fact fact, Collector<AwaitingDelta> out) -> {
          if (fact instanceof AwaitingDelta awaiting) {
            out.collect(awaiting);
          }
        }, FactSerializer.typeOf(AwaitingDelta.class)).name("awaiting-deltas").uid("select-awaiting-deltas")
        .keyBy(AwaitingDelta::dimensionKey)
        .process(new AwaitingLeadsAggregator(config.leads()), KpiSnapshotSerializer.TYPE).name("awaiting-leads").uid("awaiting-leads");

    DataStream<AlertEvent> alerts = dealFacts.getSideOutput(OpenAlerts.EVENTS)
        .union(leadFacts.getSideOutput(OpenAlerts.EVENTS));
    return new Outputs(List.of(inputCounts, dealStates, rolling, awaitingLeads), alerts, deadLetters,
        readable.getSideOutput(IngestOutputs.GAPS));
  }

  /** The input outcomes {@code decider} decided, added up where they were decided. */
  private static DataStream<InputOutcome> tallied(SingleOutputStreamOperator<?> decider, String name) {
    return decider.getSideOutput(IngestOutputs.OUTCOMES)
        .transform("tally-input-outcomes-" + name, IngestOutputs.OUTCOMES.getTypeInfo(),
            new OutcomeTally(OUTCOME_FLUSH_MILLIS))
        .uid("tally-input-outcomes-" + name);
  }

}
