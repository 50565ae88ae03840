package io.pipelinepulse.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.PulseDataflow;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.config.PulseConfig.InputFormat;
import io.pipelinepulse.ingest.ChangeDeserializer;
import io.pipelinepulse.ingest.ChangeValidator;
import io.pipelinepulse.ingest.IngestedChange;
import io.pipelinepulse.ingest.IngestedChangeSerializer;
import io.pipelinepulse.ingest.PulseClockStrategy;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.KpiSnapshot;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import io.pipelinepulse.testing.PulseJobRunner;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's computation without Kafka: generated histories, read by the job's own deserializer,
 * go through {@link PulseDataflow} from an in-memory source at parallelism 2, and the KPI
 * snapshots and alert events it collects must be the reference model's at every sampled point of
 * the clock. No broker, no HTTP endpoint.
 */
class InMemoryDataflowTest {

  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long TEN_MINUTES = 10 * MINUTE;

  @RegisterExtension
  static final MiniClusterExtension FLINK = PulseJobRunner.miniCluster();

  /** The histories every build compares; {@code -Dpulse.differential.seeds=…} names others. */
  private static final String SEEDS = "1,2,3,4,5,6,7,8,9,10,11,12";

  @Test
  void historiesThroughTheDataflowAloneGiveTheReferenceModelsValues() throws Exception {
    for (String seed : System.getProperty("pulse.differential.seeds", SEEDS).split(",")) {
      runHistory(Long.parseLong(seed.trim()));
    }
  }

  private void runHistory(long seed) throws Exception {
    // Far enough in the past that the wall clock plays no part: the input ends, and with it the
    // clock runs to the end of time.
    long start = Math.floorDiv(System.currentTimeMillis(), TEN_MINUTES) * TEN_MINUTES - 400 * DAY;
    GeneratedHistory history = new HistoryGenerator(seed, MINUTE).generate(start, 39, 160);
    PulseConfig config = PulseConfigLoader.fromYaml(HistoryGenerator.configYaml());
    List<IngestedChange> records = read(history, config);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    io.pipelinepulse.PipelinePulseJob.configure(env, config);
    DataStream<IngestedChange> input = env.fromData(records, IngestedChangeSerializer.TYPE)
        .assignTimestampsAndWatermarks(PulseClockStrategy.of(config.clock(), System::currentTimeMillis))
        .setParallelism(1);
    PulseDataflow.Outputs outputs = PulseDataflow.build(input, config);
    String run = "in-memory-" + System.nanoTime();
    outputs.kpis().sinkTo(new MemorySink<>(run + "/kpis")).name("kpis-in-memory");
    outputs.alerts().sinkTo(new MemorySink<>(run + "/alerts")).name("alerts-in-memory");
    env.execute("pulse-dataflow-in-memory");
    List<KpiSnapshot> kpis = MemorySink.drain(run + "/kpis");
    List<AlertEvent> alerts = MemorySink.drain(run + "/alerts");

    for (KpiSnapshot kpi : kpis) {
      io.pipelinepulse.metrics.MetricCatalog.Metric declared =
          io.pipelinepulse.metrics.MetricCatalog.all().get(kpi.getMetric());
      assertThat(declared).as("%s is declared in MetricCatalog", kpi.getMetric()).isNotNull();
      assertThat(kpi.getLabels().keySet()).as("labels of %s", kpi.getMetric())
          .containsExactlyInAnyOrderElementsOf(declared.labels());
    }
    ReferenceModel model = new ReferenceModel(config, history.changes());
    KpiTimeline timeline = new KpiTimeline(kpis);
    long lastPoint = history.lastCommitTime() - history.lastCommitTime() % TEN_MINUTES + 20 * DAY;
    int compared = 0;
    int alertsCompared = 0;
    int expiredCompared = 0;
    for (long m : HistoryRuns.pointsOfTheClock(start, history, lastPoint)) {
      compared += HistoryRuns.assertKpisAt(config, model, timeline, m, "in-memory seed " + seed);
      expiredCompared += (int) model.valuesAt(m).entrySet().stream()
          .filter(e -> e.getKey().contains("outcome=expired") && e.getValue() > 0).count();
      Map<String, Set<String>> expected = model.openAlertsAt(m);
      expected.values().removeIf(Set::isEmpty);
      assertThat(HistoryRuns.openAlertsAt(alerts, m))
          .as("seed %d: open alerts at %s", seed, java.time.Instant.ofEpochMilli(m))
          .isEqualTo(expected);
      alertsCompared += expected.values().stream().mapToInt(Set::size).sum();
    }
    assertThat(compared).as("seed %d: series compared", seed).isGreaterThan(1000);
    assertThat(alertsCompared).as("seed %d: open alerts compared", seed).isGreaterThan(20);
    assertThat(expiredCompared).as("seed %d: series of expired leads compared", seed).isPositive();
    assertThat(alerts).as("seed %d: alerts that followed their record's owner", seed)
        .anyMatch(event -> "reassigned".equals(event.getReason()));
  }

  /** Keeps what reaches it in this JVM, by name, for the test to read after the job. */
  static final class MemorySink<T> implements org.apache.flink.api.connector.sink2.Sink<T> {
    private static final Map<String, java.util.Queue<Object>> RECEIVED = new java.util.concurrent.ConcurrentHashMap<>();
    private final String name;

    MemorySink(String name) {
      this.name = name;
      RECEIVED.put(name, new java.util.concurrent.ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> drain(String name) {
      return new ArrayList<>((java.util.Collection<T>) RECEIVED.remove(name));
    }

    @Override
    public org.apache.flink.api.connector.sink2.SinkWriter<T> createWriter(
        org.apache.flink.api.connector.sink2.WriterInitContext context) {
      java.util.Queue<Object> queue = RECEIVED.get(name);
      return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
        @Override
        public void write(T element, Context context) {
          queue.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** The history's deliveries as the job's deserializer reads them from its input topic. */
  private static List<IngestedChange> read(GeneratedHistory history, PulseConfig config) throws Exception {
    ChangeDeserializer deserializer = new ChangeDeserializer(Map.of("crm.changes", InputFormat.CANONICAL),
        new ChangeValidator(config.currency(), config.input()), config);
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    List<IngestedChange> records = new ArrayList<>();
    long offset = 0;
    for (GeneratedHistory.Delivery delivery : history.deliveries()) {
      byte[] value = delivery.change() != null ? codec.encode(delivery.change()) : delivery.raw();
      ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("crm.changes", 0, offset++,
          delivery.key().getBytes(StandardCharsets.UTF_8), value);
      deserializer.deserialize(record, new org.apache.flink.util.Collector<>() {
        @Override
        public void collect(IngestedChange change) {
          records.add(change);
        }

        @Override
        public void close() {}
      });
    }
    return records;
  }
}
