package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.config.PulseConfig.DeadLetterSettings;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A dead letter is bounded whatever the input, and keeps what finds the original: size, hash, origin. */
class DeadLettersTest {

  private static IngestedChange origin() {
    IngestedChange origin = new IngestedChange();
    origin.format = "debezium";
    origin.topic = "crm.public.deals";
    origin.partition = 2;
    origin.offset = 77L;
    origin.recordTimestamp = 1_767_607_200_000L;
    return origin;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  @Test
  void aValueOverTheBoundKeepsItsFirstBytesWithItsWholeSizeAndHash() {
    byte[] value = new byte[2 * 1024 * 1024];
    Arrays.fill(value, (byte) 'x');
    value[value.length - 1] = 'y';
    DeadLetter letter = new DeadLetters(new DeadLetterSettings(65_536, true))
        .of(origin(), "decode", "undecodable", "d".repeat(5_000), "k".getBytes(StandardCharsets.UTF_8), value);

    assertThat(bytes(letter.getValue())).hasSize(65_536).isEqualTo(Arrays.copyOf(value, 65_536));
    assertThat(letter.getValueTruncated()).isTrue();
    assertThat(letter.getValueSize()).isEqualTo(2 * 1024 * 1024);
    assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256(value)).hasSize(64)
        .isNotEqualTo(DeadLetters.sha256(Arrays.copyOf(value, 65_536)));
    assertThat(letter.getDetail()).hasSizeLessThan(2_010).startsWith("ddd");
    assertThat(bytes(letter.getKey())).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
    assertThat(letter.getOperator()).isEqualTo("decode");
    assertThat(letter.getTopic()).isEqualTo("crm.public.deals");
    assertThat(letter.getPartition()).isEqualTo(2);
    assertThat(letter.getOffset()).isEqualTo(77L);
    assertThat(Codecs.deadLetter().encode(letter).length).as("what is written").isLessThan(70_000);
  }

  @Test
  void aValueWithinTheBoundIsKeptWhole() {
    byte[] value = "{\"op\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter = new DeadLetters(new DeadLetterSettings(65_536, true))
        .of(origin(), "opportunity-lifecycle", "late", "commit time before now", null, value);
    assertThat(bytes(letter.getValue())).isEqualTo(value);
    assertThat(letter.getValueTruncated()).isFalse();
    assertThat(letter.getValueSize()).isEqualTo(value.length);
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getDetail()).isEqualTo("commit time before now");
  }

  @Test
  void withoutValuesOnlyWhyAndWhereAreKept() {
    byte[] value = "{\"name\":\"Jane Doe\",\"email\":\"jane@example.com\"}".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter = new DeadLetters(new DeadLetterSettings(65_536, false))
        .of(origin(), "decode", "invalid-value", "email 'jane@example.com' is not valid",
            "jane@example.com".getBytes(StandardCharsets.UTF_8), value);
    assertThat(letter.getValue()).isNull();
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getDetail()).isEmpty();
    assertThat(new String(Codecs.deadLetter().encode(letter), StandardCharsets.UTF_8)).doesNotContain("jane");
    assertThat(letter.getReason()).isEqualTo("invalid-value");
    assertThat(letter.getValueSize()).isEqualTo(value.length);
    assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256(value));
    assertThat(letter.getValueTruncated()).isTrue();
    assertThat(letter.getOffset()).isEqualTo(77L);
  }

  @Test
  void noValueHasNoSizeNorHash() {
    DeadLetter letter = new DeadLetters(new DeadLetterSettings(65_536, true))
        .of(origin(), "decode", "undecodable", "record has no value", null, null);
    assertThat(letter.getValue()).isNull();
    assertThat(letter.getValueSize()).isEqualTo(-1);
    assertThat(letter.getValueSha256()).isEmpty();
    assertThat(letter.getValueTruncated()).isFalse();
  }
}
