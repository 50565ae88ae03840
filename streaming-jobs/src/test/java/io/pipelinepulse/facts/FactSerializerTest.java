package io.pipelinepulse.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FactSerializerTest {

  private static final long T = 1_767_607_200_123L;

  private static Fact roundTrip(Fact fact) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    FactSerializer.INSTANCE.serialize(fact, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    Fact read = FactSerializer.INSTANCE.deserialize(in);
    assertThat(in.available()).as("every byte written is read back").isZero();
    return read;
  }

  @Test
  void everyKindOfFactKeepsItsKindAndEveryField() throws IOException {
    List<Fact> facts = List.of(
        new StageExit(T, "u1", "East", "default", "Qualification", true),
        new StageExit(T, null, null, "default", "Prospecting", false),
        new DealClosed(T, "u1", "East", "renewals", true, 1234.5, 86_400_000L),
        new DealClosed(T, "u2", "West", "default", false, Double.NaN, 1L),
        new CloseDatePush(T, "u1", "East", "default"),
        new OpenDealDelta(OpenDealDelta.State.OPEN, T, "u1", "East", "default", "Quoted", -1, -120.5, -60.25),
        new OpenDealDelta(OpenDealDelta.State.STALLED, T, "u1", null, "default", "Quoted", 1, 10, 0),
        new OpenDealDelta(OpenDealDelta.State.PAST_DUE, T, "u1", null, "default", "", 1, 0, 0),
        new MissingFieldDelta(T, "default", "close_date", -1),
        new LeadTouched(T, "u1", "East", "Web", 420_000L),
        new LeadResolved(T, "u1", "East", "Partner Referral", LeadResolved.Outcome.CONVERTED),
        new LeadResolved(T, null, "unassigned", "Web", LeadResolved.Outcome.DISQUALIFIED),
        new LeadResolved(T, "u2", "West", "Web", LeadResolved.Outcome.EXPIRED),
        new SlaBreach(T, "u3", "unknown", "Web"),
        new AwaitingDelta(T, "u1", "East", "Web", T - 60_000L, -1));
    for (Fact fact : facts) {
      assertThat(roundTrip(fact)).as("%s", fact).isEqualTo(fact).isInstanceOf(fact.getClass());
    }
  }

  @Test
  void aDealClosedWithoutAmountStaysWithoutAmount() throws IOException {
    DealClosed read = (DealClosed) roundTrip(new DealClosed(T, "u1", "East", "default", true, Double.NaN, 5L));
    assertThat(read.hasAmount()).isFalse();
    assertThat(read.amount()).isNaN();
  }

  @Test
  void textsOver64KiloBytesAreKept() throws IOException {
    String longTeam = "x".repeat(70_000);
    assertThat(roundTrip(new SlaBreach(T, "u1", longTeam, "Web")).team()).isEqualTo(longTeam);
  }

  @Test
  void anUnknownTagIsAnErrorNotAnotherFact() {
    DataInputDeserializer in = new DataInputDeserializer(new byte[] {42, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1,
        -1, -1, -1, -1});
    assertThatThrownBy(() -> FactSerializer.INSTANCE.deserialize(in)).isInstanceOf(IOException.class)
        .hasMessageContaining("42");
  }

  @Test
  void currentStateIsTakenBackWithItsOwnTeamAndKey() {
    OpenDealDelta open = new OpenDealDelta(OpenDealDelta.State.STALLED, T, "u1", "East", "default", "Quoted", 1,
        1000.1, 0.0);
    assertThat(open.negatedAt(T + 5)).isEqualTo(new OpenDealDelta(OpenDealDelta.State.STALLED, T + 5, "u1", "East",
        "default", "Quoted", -1, -1000.1, -0.0));
    AwaitingDelta waiting = new AwaitingDelta(T, "u1", "East", "Web", T - 5, 1);
    assertThat(waiting.negatedAt(T + 1).withTeam("North"))
        .isEqualTo(new AwaitingDelta(T + 1, "u1", "North", "Web", T - 5, -1));
  }
}
