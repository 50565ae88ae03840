package io.pipelinepulse.schema.codec;

import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.DeadLetter;
import io.pipelinepulse.schema.GapEvent;
import io.pipelinepulse.schema.KpiSnapshot;

/** Factories for the codec of each record type of the wire contract. */
public final class Codecs {

  private Codecs() {}

  public static SingleObjectCodec<CrmChange> crmChange() {
    return SingleObjectCodec.forSchema(CrmChange.getClassSchema());
  }

  public static SingleObjectCodec<KpiSnapshot> kpiSnapshot() {
    return SingleObjectCodec.forSchema(KpiSnapshot.getClassSchema());
  }

  public static SingleObjectCodec<AlertEvent> alertEvent() {
    return SingleObjectCodec.forSchema(AlertEvent.getClassSchema());
  }

  public static SingleObjectCodec<DeadLetter> deadLetter() {
    return SingleObjectCodec.forSchema(DeadLetter.getClassSchema());
  }

  public static SingleObjectCodec<GapEvent> gapEvent() {
    return SingleObjectCodec.forSchema(GapEvent.getClassSchema());
  }
}
