package io.pipelinepulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.alerts.AlertmanagerPublisher.AlertBook;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import org.junit.jupiter.api.Test;

/** What the Alertmanager publisher keeps to post: nothing from a backfill's past, nothing lost live. */
class AlertBookTest {

  private static AlertEvent firing(String dealId, long at) {
    return RecordAlert.named("DealStalled").label("team", "East").label("deal_id", dealId)
        .summary("s").description("d").firing(PulseConfigLoader.defaults().alerts(), dealId, at);
  }

  @Test
  void beforeTheClockIsLiveNothingIsDueAndWhatResolvedIsForgotten() {
    AlertBook book = new AlertBook();
    AlertEvent old = firing("R1", 1);
    book.open(old);
    book.resolve(RecordAlert.resolved(old, 2, "cleared"));
    book.open(firing("O1", 3));
    assertThat(book.due()).isEmpty();
    book.setLive(true);
    assertThat(book.due()).extracting(e -> e.getLabels().get("deal_id")).containsExactly("O1");
  }

  @Test
  void openAlertsStayDueAfterEveryPostAndAResolutionIsDueOnce() {
    AlertBook book = new AlertBook();
    book.setLive(true);
    AlertEvent open = firing("D1", 1);
    book.open(open);
    book.delivered(book.due());
    assertThat(book.due()).containsExactly(open);
    book.resolve(RecordAlert.resolved(open, 5, "cleared"));
    assertThat(book.due()).singleElement().satisfies(e -> assertThat(e.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    book.delivered(book.due());
    assertThat(book.due()).isEmpty();
    assertThat(book.size()).isZero();
  }

  @Test
  void aFailedPostKeepsEverythingAndARestoredBookKnowsWhatWasPosted() {
    AlertBook book = new AlertBook();
    book.setLive(true);
    AlertEvent open = firing("D1", 1);
    book.open(open);
    book.delivered(book.due());
    // a post that failed: delivered() is not called, the resolution stays due
    book.resolve(RecordAlert.resolved(open, 5, "cleared"));
    assertThat(book.due()).hasSize(1);

    AlertBook restored = new AlertBook();
    book.snapshot().forEach(restored::restore);
    // after a restart in a backfill (not live), a resolution of a posted alert is still delivered later
    AlertEvent other = firing("D2", 1);
    restored.restore(other, true);
    restored.resolve(RecordAlert.resolved(other, 9, "cleared"));
    restored.setLive(true);
    assertThat(restored.due()).hasSize(2).allMatch(e -> e.getStatus() == AlertStatus.RESOLVED);
  }
}
