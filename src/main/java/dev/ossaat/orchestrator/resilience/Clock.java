package dev.ossaat.orchestrator.resilience;

import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time as the resilience policies see it: a monotonic reading in nanoseconds and one-shot timers on
 * the same time line. Production uses the system's {@link System#nanoTime} (timers on Vert.x when a
 * {@link Vertx} is at hand, see {@link #of}); tests substitute a manual clock so that a breaker's
 * half-open wait, an admission queue's {@code maxWait} or a deadline can be crossed without sleeping.
 */
public interface Clock {
  /** Monotonic nanoseconds, comparable only with other readings of the same clock. */
  long nanoTime();

  /**
   * Runs {@code task} once, no earlier than {@code delayMillis} from now on this clock, on a thread of
   * the clock's choosing (callers that care hand over to their own context).
   */
  Timer schedule(long delayMillis, Runnable task);

  /**
   * Epoch milliseconds that move with {@code clock}: the wall time at this call, advanced by the
   * clock's monotonic readings since. In production that is the system's time; in a test on a manual
   * clock, a TTL or an expiry stored as a wall time (cache entries, API keys) is crossed by advancing
   * the clock, without sleeping.
   */
  static java.util.function.LongSupplier wallMillis(Clock clock) {
    long wallBase = System.currentTimeMillis();
    long nanoBase = clock.nanoTime();
    return () -> wallBase + (clock.nanoTime() - nanoBase) / 1_000_000;
  }

  /** A scheduled task that has not run yet can be cancelled; cancelling later does nothing. */
  interface Timer {
    void cancel();
  }

  /**
   * The system clock, its timers on one shared daemon thread (as Resilience4j's own scheduler for a
   * breaker's automatic half-open). Prefer {@link #of(Vertx)} where a Vert.x instance exists.
   */
  Clock SYSTEM = new Clock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
      var future = SystemTimers.EXECUTOR.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    }

    @Override
    public String toString() {
      return "Clock.SYSTEM";
    }
  };

  /** The system clock with its timers on this Vert.x instance (they stop when it closes). */
  static Clock of(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    return new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Timer schedule(long delayMillis, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
        return () -> vertx.cancelTimer(id);
      }

      @Override
      public String toString() {
        return "Clock.of(vertx)";
      }
    };
  }
}

/** The shared timer thread of {@link Clock#SYSTEM}, created on first use. */
final class SystemTimers {
  static final ScheduledThreadPoolExecutor EXECUTOR = executor();

  private SystemTimers() {}

  private static ScheduledThreadPoolExecutor executor() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "orchestrator-clock");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
