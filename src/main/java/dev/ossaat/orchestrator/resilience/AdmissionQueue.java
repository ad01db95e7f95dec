package dev.ossaat.orchestrator.resilience;

import dev.ossaat.orchestrator.config.AdmissionConfig;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A provider's bulkhead: at most {@code maxConcurrent} calls in flight, at most {@code maxQueued}
 * waiting for a slot, none waiting past {@code maxWait} or its request's deadline. Waiting is
 * asynchronous: a waiter is resumed on its own event loop when a slot frees up. Resilience4j's
 * bulkhead can only wait by blocking a thread, which an event loop must never do.
 */
public final class AdmissionQueue {
  private final Vertx vertx;
  private final Clock clock;
  private final GaugeDataPoint depth;
  private final DistributionDataPoint waitSeconds;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private volatile AdmissionConfig config;
  private int active;

  public AdmissionQueue(Vertx vertx, AdmissionConfig config, GaugeDataPoint depth, DistributionDataPoint waitSeconds) {
    this(vertx, Clock.of(vertx), config, depth, waitSeconds);
  }

  /** @param clock measures the wait and times out waiters after {@code maxWait} */
  public AdmissionQueue(Vertx vertx, Clock clock, AdmissionConfig config, GaugeDataPoint depth,
      DistributionDataPoint waitSeconds) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.depth = depth;
    this.waitSeconds = waitSeconds;
  }

  /** Why a request was not admitted. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /** A granted slot; {@link #release} is idempotent. */
  public final class Permit {
    private boolean released;

    public void release() {
      synchronized (AdmissionQueue.this) {
        if (released) return;
        released = true;
      }
      freeSlot();
    }
  }

  private record Waiter(Promise<Permit> promise, Context context, long enqueuedNanos, Clock.Timer[] timer) {}

  /** Applies new limits (config reload); waiters already queued stay queued. */
  public void reconfigure(AdmissionConfig newConfig) {
    this.config = newConfig;
    freeSlot(0);
  }

  /**
   * A slot now, or after waiting in the queue; fails with {@link Rejected} when the queue is full or
   * the wait would exceed {@code maxWait} or the deadline.
   */
  public Future<Permit> acquire(Deadline deadline) {
    AdmissionConfig c = config;
    synchronized (this) {
      if (active < c.maxConcurrent() && waiters.isEmpty()) {
        active++;
        waitSeconds.observe(0);
        return Future.succeededFuture(new Permit());
      }
      if (waiters.size() >= c.maxQueued()) {
        return Future.failedFuture(new Rejected(
            "admission queue full (" + c.maxQueued() + " waiting, " + active + " in flight)"));
      }
      long maxWait = Math.min(c.maxWait().toMillis(), deadline.remainingMillis());
      if (maxWait <= 0) return Future.failedFuture(new Rejected("no time left to wait for a slot"));
      Context context = vertx.getOrCreateContext();
      Waiter waiter = new Waiter(Promise.promise(), context, clock.nanoTime(), new Clock.Timer[1]);
      waiters.add(waiter);
      depth.set(waiters.size());
      waiter.timer()[0] = clock.schedule(maxWait, () -> expire(waiter, maxWait));
      return waiter.promise().future();
    }
  }

  /** The requester left while waiting: give its place in the queue to the next. */
  public void abandon(Future<Permit> waiting) {
    Waiter gone = null;
    synchronized (this) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.promise().future() == waiting) {
          it.remove();
          gone = w;
          break;
        }
      }
      depth.set(waiters.size());
    }
    if (gone != null) {
      gone.timer()[0].cancel();
      Waiter w = gone;
      w.context().runOnContext(v -> w.promise().tryFail(new Rejected("the client left while waiting")));
    }
  }

  public synchronized int queued() {
    return waiters.size();
  }

  public synchronized int active() {
    return active;
  }

  private void expire(Waiter waiter, long waited) {
    synchronized (this) {
      if (!waiters.remove(waiter)) return;
      depth.set(waiters.size());
    }
    waiter.context().runOnContext(v -> waiter.promise().tryFail(new Rejected("waited " + waited + " ms for a free slot")));
  }

  private void freeSlot() {
    freeSlot(1);
  }

  /** Hands freed slots to waiters in arrival order, each on its own event loop. */
  private void freeSlot(int freed) {
    java.util.List<Waiter> granted = new java.util.ArrayList<>(1);
    synchronized (this) {
      active -= freed;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext() && active < config.maxConcurrent(); ) {
        Waiter w = it.next();
        it.remove();
        active++;
        granted.add(w);
      }
      depth.set(waiters.size());
    }
    for (Waiter w : granted) {
      w.timer()[0].cancel();
      waitSeconds.observe((clock.nanoTime() - w.enqueuedNanos()) / 1e9);
      Permit permit = new Permit();
      w.context().runOnContext(v -> {
        if (!w.promise().tryComplete(permit)) permit.release();
      });
    }
  }
}
