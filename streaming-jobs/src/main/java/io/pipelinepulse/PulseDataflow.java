package io.pipelinepulse;

import io.pipelinepulse.alerts.AlertmanagerPublisher;
import io.pipelinepulse.alerts.OpenAlerts;
import io.pipelinepulse.alerts.RecordAlert;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.config.PulseConfig.InputTopic;
import io.pipelinepulse.deals.ClosedDealsKpi;
import io.pipelinepulse.deals.CurrentStateAggregator;
import io.pipelinepulse.deals.CurrentStateSeries;
import io.pipelinepulse.deals.DealFact;
import io.pipelinepulse.deals.OpportunityLifecycle;
import io.pipelinepulse.directory.OwnerTeams;
import io.pipelinepulse.directory.TeamResolver;
import io.pipelinepulse.funnel.StageConversionKpi;
import io.pipelinepulse.ingest.ChangeDeserializer;
import io.pipelinepulse.ingest.ChangeValidator;
import io.pipelinepulse.ingest.IngestGate;
import io.pipelinepulse.ingest.IngestOutputs;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.IngestedChangeSerializer;
import io.pipelinepulse.ingest.InputOutcome;
import io.pipelinepulse.ingest.InputOutcomeCounter;
import io.pipelinepulse.ingest.PulseClock;
import io.pipelinepulse.ingest.PulseClockStrategy;
import io.pipelinepulse.ingest.UnreadableFilter;
import io.pipelinepulse.leads.AwaitingLeadsAggregator;
import io.pipelinepulse.leads.LeadLifecycle;
import io.pipelinepulse.leads.LeadResponseKpi;
import io.pipelinepulse.lifecycle.RecordRoutes;
import io.pipelinepulse.publish.AvroRecordSerializer;
import io.pipelinepulse.publish.LatestKpis;
import io.pipelinepulse.publish.PrometheusPublisher;
import io.pipelinepulse.topics.TopicCheck;
import io.pipelinepulse.topics.TopicSetupException;
import io.pipelinepulse.types.CrmChangeSerializer;
import io.pipelinepulse.types.DealFactSerializer;
import io.pipelinepulse.types.KpiSnapshotSerializer;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.Entity;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.window.Measurement;
import io.pipelinepulse.window.RollingAggregator;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's computation, free of Kafka and HTTP: changes in (each an {@link IngestedChange} with
 * its commit time as event time and the job's clock as watermarks); KPI snapshots, alert events,
 * dead letters and gap events out. Ingest → per-deal and per-lead lifecycles → team resolution →
 * per-dimension KPIs. Every operator has a stable uid, so a savepoint taken by one version
 * restores into the next. {@link PulseTopology} wires it to Kafka, Prometheus and Alertmanager.
 */
public final class PulseDataflow {

  /** What the computation publishes. */
  public record Outputs(DataStream<KpiSnapshot> kpis, DataStream<AlertEvent> alerts,
      DataStream<DeadLetter> deadLetters, DataStream<GapEvent> gaps) {}

  private PulseDataflow() {}

  public static Outputs build(DataStream<IngestedChange> input, PulseConfig config) {
    SingleOutputStreamOperator<IngestedChange> readable = input
        .process(new UnreadableFilter(), IngestedChangeSerializer.TYPE).name("drop-unreadable").uid("ingest-drop-unreadable");
    // Users and activities linked to no record pass a gate of their own; every other change is
    // let in by its record's lifecycle, so it crosses the network once.
    SingleOutputStreamOperator<CrmChange> unowned = readable
        .filter(record -> RecordRoutes.ofNoRecord(record.change)).name("users-and-unlinked").uid("select-unowned")
        .keyBy(record -> record.change.getEventId())
        .process(new IngestGate(config.dedupRetention()), CrmChangeSerializer.TYPE).name("dedup-and-late").uid("ingest-gate");
    DataStream<CrmChange> users = unowned
        .filter(change -> change.getEntity() == Entity.USER).name("users").uid("select-users");
    // Every lifecycle needs owners' teams at past moments (alert labels, business hours).
    BroadcastStream<CrmChange> ownerTeams = users.broadcast(OwnerTeams.STATE);
    SingleOutputStreamOperator<DealFact> dealFacts = readable
        .filter(record -> RecordRoutes.ofDeal(record.change)).name("deal-changes").uid("select-deal-changes")
        .keyBy(record -> OpportunityLifecycle.keyOf(record.change))
        .connect(ownerTeams)
        .process(new OpportunityLifecycle(config.pipelines(), config.currency(), config.deals(), config.directory(),
            config.alerts(), config.dedupRetention()), DealFactSerializer.TYPE)
        .name("opportunity-lifecycle").uid("opportunity-lifecycle");
    SingleOutputStreamOperator<DealFact> leadFacts = readable
        .filter(record -> RecordRoutes.ofLead(record.change)).name("lead-changes").uid("select-lead-changes")
        .keyBy(record -> LeadLifecycle.keyOf(record.change))
        .connect(ownerTeams)
        .process(new LeadLifecycle(config.leads(), config.directory(), config.alerts(), config.dedupRetention()),
            DealFactSerializer.TYPE)
        .name("lead-lifecycle").uid("lead-lifecycle");
    DataStream<DeadLetter> deadLetters = readable.getSideOutput(IngestOutputs.DEAD_LETTERS)
        .union(unowned.getSideOutput(IngestOutputs.DEAD_LETTERS), dealFacts.getSideOutput(IngestOutputs.DEAD_LETTERS),
            leadFacts.getSideOutput(IngestOutputs.DEAD_LETTERS));
    DataStream<KpiSnapshot> inputCounts = readable.getSideOutput(IngestOutputs.OUTCOMES)
        .union(unowned.getSideOutput(IngestOutputs.OUTCOMES), dealFacts.getSideOutput(IngestOutputs.OUTCOMES),
            leadFacts.getSideOutput(IngestOutputs.OUTCOMES))
        .keyBy(InputOutcome::counterKey)
        .process(new InputOutcomeCounter(1000), KpiSnapshotSerializer.TYPE).name("count-input-outcomes").uid("input-outcome-counter");
    DataStream<DealFact> teamFacts = users.keyBy(CrmChange::getRecordId)
        .connect(dealFacts.union(leadFacts).keyBy(DealFact::ownerKey))
        .process(new TeamResolver(config.directory()), DealFactSerializer.TYPE).name("resolve-owner-team").uid("team-resolver");

    DataStream<KpiSnapshot> dealStates = null;
    for (CurrentStateSeries series : CurrentStateSeries.values()) {
      String name = series.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      DataStream<KpiSnapshot> published = teamFacts
          .filter(fact -> fact.kind == series.kind()).name(name + "-deltas").uid("select-" + name + "-deltas")
          .keyBy(series::keyOf)
          .process(new CurrentStateAggregator(series), KpiSnapshotSerializer.TYPE).name(name).uid(series == CurrentStateSeries.OPEN
              ? "open-pipeline" : "deal-state-" + name);
      dealStates = dealStates == null ? published : dealStates.union(published);
    }
    DataStream<KpiSnapshot> stageConversion = teamFacts
        .filter(fact -> fact.kind == DealFact.Kind.STAGE_EXIT).name("stage-exits").uid("select-stage-exits")
        .map(StageConversionKpi::measure).name("measure-stage-exits").uid("measure-stage-exits")
        .keyBy(Measurement::key)
        .process(new RollingAggregator(new StageConversionKpi()), KpiSnapshotSerializer.TYPE).name("stage-conversion").uid("stage-conversion");

    DataStream<KpiSnapshot> closedDeals = teamFacts
        .filter(fact -> fact.kind == DealFact.Kind.CLOSED || fact.kind == DealFact.Kind.OPEN_DELTA)
        .name("closes-and-open-deltas").uid("select-closes-and-open-deltas")
        .map(ClosedDealsKpi::measure).name("measure-closed-deals").uid("measure-closed-deals")
        .keyBy(Measurement::key)
        .process(new RollingAggregator(new ClosedDealsKpi()), KpiSnapshotSerializer.TYPE).name("win-rate-and-cycle").uid("closed-deals");

    DataStream<KpiSnapshot> leadResponse = teamFacts
        .filter(fact -> fact.kind == DealFact.Kind.LEAD_TOUCHED || fact.kind == DealFact.Kind.LEAD_RESOLVED)
        .name("lead-touches-and-resolutions").uid("select-lead-touches-and-resolutions")
        .map(LeadResponseKpi::measure).name("measure-lead-response").uid("measure-lead-response")
        .keyBy(Measurement::key)
        .process(new RollingAggregator(new LeadResponseKpi()), KpiSnapshotSerializer.TYPE).name("lead-response").uid("lead-response");
    DataStream<KpiSnapshot> awaitingLeads = teamFacts
        .filter(fact -> fact.kind == DealFact.Kind.AWAITING_DELTA).name("awaiting-deltas").uid("select-awaiting-deltas")
        .keyBy(DealFact::dimensionKey)
        .process(new AwaitingLeadsAggregator(config.leads()), KpiSnapshotSerializer.TYPE).name("awaiting-leads").uid("awaiting-leads");

    DataStream<KpiSnapshot> kpis = inputCounts.union(dealStates, stageConversion, closedDeals, leadResponse,
        awaitingLeads);
    DataStream<AlertEvent> alerts = dealFacts.getSideOutput(OpenAlerts.EVENTS)
        .union(leadFacts.getSideOutput(OpenAlerts.EVENTS));
    return new Outputs(kpis, alerts, deadLetters, readable.getSideOutput(IngestOutputs.GAPS));
  }
}
