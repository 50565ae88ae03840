package io.pipelinepulse.alerts;

import io.pipelinepulse.schema.AlertEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that posts the alert book to Alertmanager: every repeat interval, soon after a change,
 * and after a failure again with a growing pause (1 s doubling up to the repeat interval).
 */
final class AlertSender implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
  /** Alertmanager's default batch limit is far above this; smaller posts fail less as a whole. */
  private static final int BATCH = 500;
  private static final long FIRST_BACKOFF_MILLIS = 1_000L;
  /** Changes close together go out in one post. */
  private static final long GATHER_MILLIS = 200L;

  private final AlertmanagerClient client;
  private final AlertmanagerPublisher.AlertBook book;
  private final long repeatMillis;
  private final LongSupplier wallClock;
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running = true;
  private Thread thread;

  AlertSender(AlertmanagerClient client, AlertmanagerPublisher.AlertBook book, Duration repeatInterval,
      LongSupplier wallClock) {
    this.client = client;
    this.book = book;
    this.repeatMillis = repeatInterval.toMillis();
    this.wallClock = wallClock;
  }

  void start() {
    thread = new Thread(this, "alertmanager-sender");
    thread.setDaemon(true);
    thread.start();
  }

  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  void stop() throws InterruptedException {
    running = false;
    wake();
    if (thread != null) {
      thread.join(5_000L);
    }
  }

  @Override
  public void run() {
    long backoff = 0;
    while (running) {
      try {
        pause(backoff > 0 ? backoff : repeatMillis, backoff == 0);
        if (!running) {
          return;
        }
        postAll();
        if (backoff > 0) {
          LOG.info("Alertmanager reachable again: open alerts and pending resolutions delivered");
        }
        backoff = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (backoff == 0) {
          LOG.warn("Cannot post alerts to Alertmanager ({}); keeping {} to retry with backoff", e.toString(),
              book.size());
        }
        backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(backoff * 2, repeatMillis);
      }
    }
  }

  /** Waits {@code millis}, or less when woken by a change (unless backing off after a failure). */
  private void pause(long millis, boolean wakeable) throws InterruptedException {
    long until = System.currentTimeMillis() + millis;
    synchronized (signal) {
      while (running && System.currentTimeMillis() < until && !(wakeable && woken)) {
        signal.wait(Math.max(1, until - System.currentTimeMillis()));
      }
      woken = false;
    }
    if (wakeable) {
      Thread.sleep(GATHER_MILLIS);
    }
  }

  private void postAll() throws Exception {
    List<AlertEvent> due = book.due();
    // Alertmanager drops an open alert this long after its last post: a few missed posts are fine.
    long openUntil = wallClock.getAsLong() + 4 * repeatMillis;
    for (int from = 0; from < due.size(); from += BATCH) {
      List<AlertEvent> batch = due.subList(from, Math.min(due.size(), from + BATCH));
      client.post(batch, openUntil);
      book.delivered(batch);
    }
  }
}
