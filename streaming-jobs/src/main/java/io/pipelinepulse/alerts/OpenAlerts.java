package io.pipelinepulse.alerts;

import io.pipelinepulse.schema.AlertEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * Keyed state of the alerts open on the current record, by alert name. An alert fires once, stays
 * open until resolved, and can fire again after (re-arms); the events go to {@link #EVENTS}.
 */
public final class OpenAlerts {

  public static final OutputTag<AlertEvent> EVENTS = new OutputTag<>("alert-events",
      TypeInformation.of(AlertEvent.class));

  /** Where a keyed function sends alert events: its side output. */
  public interface Sink {
    void emit(AlertEvent event);
  }

  private final MapState<String, AlertEvent> open;

  public OpenAlerts(RuntimeContext context) {
    open = context.getMapState(new MapStateDescriptor<>("open-alerts", Types.STRING,
        TypeInformation.of(AlertEvent.class)));
  }

  public boolean isOpen(String name) throws Exception {
    return open.contains(name);
  }

  /** Opens the alert unless one of that name is open already. */
  public void fire(AlertEvent event, Sink sink) throws Exception {
    if (!open.contains(event.getAlertName())) {
      open.put(event.getAlertName(), event);
      sink.emit(event);
    }
  }

  /**
   * Gives the open alert of that name the annotations of {@code rebuilt} (what is true of the
   * record now), keeping when it started; nothing when none is open under the same labels or the
   * text has not changed.
   */
  public void refresh(AlertEvent rebuilt, Sink sink) throws Exception {
    AlertEvent firing = open.get(rebuilt.getAlertName());
    if (firing != null && firing.getLabels().equals(rebuilt.getLabels())
        && !firing.getAnnotations().equals(rebuilt.getAnnotations())) {
      AlertEvent updated = AlertEvent.newBuilder(firing).setAnnotations(rebuilt.getAnnotations()).build();
      open.put(updated.getAlertName(), updated);
      sink.emit(updated);
    }
  }

  /** Resolves the open alert of that name, if there is one, saying why. */
  public void resolve(String name, long time, String reason, Sink sink) throws Exception {
    AlertEvent firing = open.get(name);
    if (firing != null) {
      open.remove(name);
      sink.emit(RecordAlert.resolved(firing, time, reason));
    }
  }

  /**
   * Moves the record's open alerts to the owner and team it has now: each one under other labels
   * resolves ({@code reassigned}) and fires again under the new ones, so that Alertmanager routes
   * it to the manager who can act now.
   */
  public void followOwner(String team, String ownerId, long time, Sink sink) throws Exception {
    List<AlertEvent> moved = new ArrayList<>();
    for (AlertEvent firing : open.values()) {
      if (!RecordAlert.isFor(firing, team, ownerId)) {
        moved.add(firing);
      }
    }
    for (AlertEvent firing : moved) {
      sink.emit(RecordAlert.resolved(firing, time, RecordAlert.REASSIGNED));
      AlertEvent now = RecordAlert.reassigned(firing, team, ownerId, time);
      open.put(now.getAlertName(), now);
      sink.emit(now);
    }
  }

  /** Resolves every open alert of the record: it closed, went away or expired. */
  public void resolveAll(long time, String reason, Sink sink) throws Exception {
    List<String> names = new ArrayList<>();
    for (String name : open.keys()) {
      names.add(name);
    }
    for (String name : names) {
      resolve(name, time, reason, sink);
    }
  }
}
