package io.pipelinepulse.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class IsoDatesTest {

  @Test
  void readsPlainDatesAsTheirEpochDay() {
    for (String date : new String[] {"1970-01-01", "2026-12-03", "2024-02-29", "0001-01-01", "9999-12-31"}) {
      assertThat(IsoDates.epochDay(date)).as(date).isEqualTo(LocalDate.parse(date).toEpochDay());
    }
  }

  @Test
  void readsTheLongerIsoFormsAsTheFormatterDoes() {
    assertThat(IsoDates.epochDay("+12026-01-01")).isEqualTo(LocalDate.parse("+12026-01-01").toEpochDay());
  }

  @Test
  void absentOrUnreadableTextsAreNoDate() {
    for (String text : new String[] {null, "", "2026-13-01", "2025-02-29", "2026-1-01", "2026/01/01", "2026-01-0x",
        "yesterday", "2026-01-01T00:00:00Z"}) {
      assertThat(IsoDates.epochDay(text)).as(String.valueOf(text)).isEqualTo(IsoDates.NO_DATE);
    }
  }
}
