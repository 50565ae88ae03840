package io.pipelinepulse.alerts;

import io.pipelinepulse.config.PulseConfig.AlertSettings;
import io.pipelinepulse.ingest.PulseClock;
import io.pipelinepulse.schema.AlertEvent;
import io.pipelinepulse.schema.AlertStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Delivers per-record alerts to Alertmanager (parallelism 1). It keeps every open alert and every
 * resolution not yet delivered in checkpointed state; a sender thread posts them all every
 * {@code alerts.repeat-interval} (and soon after a change), so Alertmanager keeps open alerts
 * active, and retries with backoff while Alertmanager is away. Neither an outage nor a restart
 * loses an alert, and the job never waits for Alertmanager.
 *
 * <p>Until the job's clock is within {@code alerts.live-within} of the wall clock (a backfill)
 * nothing is posted: an alert that opens and resolves in replayed history never pages anyone;
 * those still open when the clock catches up are posted then.
 */
public final class AlertmanagerPublisher extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<AlertEvent, Void> {

  private final AlertSettings settings;
  private final PulseClock.WallClock wallClock;

  private transient AlertBook book;
  private transient AlertSender sender;
  private transient ListState<AlertEvent> checkpointedAlerts;
  private transient ListState<String> checkpointedPosted;

  public AlertmanagerPublisher(AlertSettings settings, PulseClock.WallClock wallClock) {
    this.settings = settings;
    this.wallClock = wallClock;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    book = new AlertBook();
    checkpointedAlerts = context.getOperatorStateStore().getListState(
        new ListStateDescriptor<>("alerts-to-deliver", TypeInformation.of(AlertEvent.class)));
    checkpointedPosted = context.getOperatorStateStore().getListState(
        new ListStateDescriptor<>("alerts-posted", Types.STRING));
    List<String> posted = new ArrayList<>();
    checkpointedPosted.get().forEach(posted::add);
    for (AlertEvent alert : checkpointedAlerts.get()) {
      book.restore(alert, posted.contains(RecordAlert.identity(alert)));
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    if (settings.postsToAlertmanager()) {
      sender = new AlertSender(new AlertmanagerClient(settings.alertmanagerUrl()), book, settings.repeatInterval(),
          wallClock::nowMillis);
      sender.start();
      LOG.info("Per-record alerts go to Alertmanager at {}", settings.alertmanagerUrl());
    }
  }

  @Override
  public void processElement(StreamRecord<AlertEvent> element) {
    AlertEvent event = element.getValue();
    if (event.getStatus() == AlertStatus.FIRING) {
      book.open(event);
    } else {
      book.resolve(event);
    }
    if (sender != null) {
      sender.wake();
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(mark);
    boolean live = mark.getTimestamp() >= wallClock.nowMillis() - settings.liveWithin().toMillis();
    if (live && !book.isLive() && sender != null) {
      sender.wake();
    }
    book.setLive(live);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    Map<AlertEvent, Boolean> all = book.snapshot();
    List<AlertEvent> alerts = new ArrayList<>(all.keySet());
    List<String> posted = new ArrayList<>();
    all.forEach((alert, wasPosted) -> {
      if (wasPosted) {
        posted.add(RecordAlert.identity(alert));
      }
    });
    checkpointedAlerts.update(alerts);
    checkpointedPosted.update(posted);
  }

  @Override
  public void close() throws Exception {
    if (sender != null) {
      sender.stop();
      sender = null;
    }
    super.close();
  }

  /** Alerts to deliver, shared by the task thread and the sender thread. */
  static final class AlertBook {

    /** By identity: the latest event of each alert (open, or resolved and not yet delivered). */
    private final Map<String, AlertEvent> alerts = new LinkedHashMap<>();
    /** Identities of alerts Alertmanager has received at least once. */
    private final java.util.Set<String> posted = new java.util.HashSet<>();
    private volatile boolean live;

    synchronized void open(AlertEvent firing) {
      alerts.put(RecordAlert.identity(firing), firing);
    }

    /** A resolution is delivered only for an alert Alertmanager has seen or is about to see. */
    synchronized void resolve(AlertEvent resolved) {
      String id = RecordAlert.identity(resolved);
      if (posted.contains(id) || (live && alerts.containsKey(id))) {
        alerts.put(id, resolved);
      } else {
        alerts.remove(id);
      }
    }

    synchronized void restore(AlertEvent alert, boolean wasPosted) {
      String id = RecordAlert.identity(alert);
      alerts.put(id, alert);
      if (wasPosted) {
        posted.add(id);
      }
    }

    boolean isLive() {
      return live;
    }

    void setLive(boolean live) {
      this.live = live;
    }

    /** What to post now: nothing before the clock is live. */
    synchronized List<AlertEvent> due() {
      return live ? new ArrayList<>(alerts.values()) : List.of();
    }

    /** After a successful post: resolutions are done, open alerts stay to be posted again. */
    synchronized void delivered(List<AlertEvent> sent) {
      for (AlertEvent event : sent) {
        String id = RecordAlert.identity(event);
        posted.add(id);
        if (event.getStatus() == AlertStatus.RESOLVED && alerts.get(id) == event) {
          alerts.remove(id);
          posted.remove(id);
        }
      }
    }

    synchronized Map<AlertEvent, Boolean> snapshot() {
      Map<AlertEvent, Boolean> copy = new LinkedHashMap<>();
      alerts.forEach((id, alert) -> copy.put(alert, posted.contains(id)));
      return copy;
    }

    synchronized int size() {
      return alerts.size();
    }
  }
}
