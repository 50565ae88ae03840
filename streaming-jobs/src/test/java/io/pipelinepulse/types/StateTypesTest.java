package io.pipelinepulse.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipelinepulse.deals.DealState;
import io.pipelinepulse.deals.StateTotals;
import io.pipelinepulse.leads.AwaitingLeads;
import io.pipelinepulse.leads.LeadState;
import io.pipelinepulse.window.RollingState;
import io.pipelinepulse.window.WindowTotals;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Keyed state objects are checkpointed field by field by Flink's POJO serializer, never by Kryo. */
class StateTypesTest {

  @Test
  void everyStateObjectIsAPojo() {
    for (Class<?> type : List.of(DealState.class, LeadState.class, RollingState.class, WindowTotals.class,
        AwaitingLeads.class, StateTotals.class, io.pipelinepulse.window.LogHistogram.class)) {
      assertThat(TypeInformation.of(type)).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
    }
  }
}
