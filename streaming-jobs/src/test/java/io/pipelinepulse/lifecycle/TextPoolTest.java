package io.pipelinepulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextPoolTest {

  @Test
  void equalTextsComeBackAsOneInstance() {
    TextPool pool = new TextPool();
    String first = pool.of(new String("Qualification"));
    String second = pool.of(new String("Qualification"));
    assertThat(second).isSameAs(first).isEqualTo("Qualification");
    assertThat(pool.of(null)).isNull();
  }

  @Test
  void pastItsLimitThePoolStartsAgainAndStillAnswersEqualTexts() {
    TextPool pool = new TextPool();
    String kept = pool.of("kept");
    for (int i = 0; i < TextPool.LIMIT; i++) {
      assertThat(pool.of("owner-" + i)).isEqualTo("owner-" + i);
    }
    String again = pool.of(new String("kept"));
    assertThat(again).isEqualTo("kept").isNotSameAs(kept);
    assertThat(pool.of(new String("kept"))).isSameAs(again);
  }
}
