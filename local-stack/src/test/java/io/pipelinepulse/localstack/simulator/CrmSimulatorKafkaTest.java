package io.pipelinepulse.localstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.localstack.testing.KafkaBroker;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class CrmSimulatorKafkaTest {

  @Test
  void publishesKeyedAvroEventsInCommitOrderPerRecord() throws Exception {
    KafkaBroker.createTopic("sim.changes", 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = CrmSimulatorMain.run(
        new String[] {"--bootstrap", KafkaBroker.bootstrapServers(), "--topic", "sim.changes", "--history-days", "5",
            "--max-events", "400"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("400 events sent", "400 confirmed");
    List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.readAll("sim.changes", Duration.ofSeconds(20));
    assertThat(records).hasSize(400);
    SingleObjectCodec<CrmChange> codec = Codecs.crmChange();
    long[] lastTimeByPartition = new long[3];
    for (ConsumerRecord<byte[], byte[]> record : records) {
      CrmChange change = codec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(change.getRecordId());
      assertThat(change.getOrigin()).isEqualTo("simulator");
      assertThat(change.getCommitTime()).isGreaterThanOrEqualTo(lastTimeByPartition[record.partition()]);
      lastTimeByPartition[record.partition()] = change.getCommitTime();
    }
  }
}
