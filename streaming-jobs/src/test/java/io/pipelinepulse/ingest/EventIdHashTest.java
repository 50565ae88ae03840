package io.pipelinepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdHashTest {

  @Test
  void idsThatDifferInOneCharacterOrTheirOrderDoNotShareAHash() {
    Set<Long> hashes = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      hashes.add(EventIdHash.of("salesforce/0000" + i + "/006A"));
      hashes.add(EventIdHash.of("006A/" + i));
    }
    assertThat(hashes).hasSize(400_000);
    assertThat(EventIdHash.of("ab")).isNotEqualTo(EventIdHash.of("ba"));
    assertThat(EventIdHash.of("e-1")).isEqualTo(EventIdHash.of(new String("e-1")));
  }
}
