package dev.ossaat.orchestrator.timing;

import io.vertx.core.Vertx;
import java.util.function.LongConsumer;

/**
 * A deadline that moves often (every stream chunk, every request on a keep-alive connection) watched by
 * one Vert.x timer that is not cancelled when the deadline moves later: when the timer fires early it
 * re-arms itself for what is left. Moving the deadline is then a field write, not a timer cancelled and
 * set again, which the profile showed on the hot path (Vert.x keeps every timer in a map and a close hook).
 *
 * <p>Event-loop confined, like the state it guards: create, move and stop it on one context.
 */
public final class DeadlineTimer {
  private final Vertx vertx;
  private final LongConsumer expired;
  private long timer = -1;
  /** When the armed timer fires ({@link System#nanoTime}), while {@code timer >= 0}. */
  private long timerDue;
  private long due;
  private boolean watching;

  /** @param expired called with the deadline ({@link System#nanoTime}) once it has passed */
  public DeadlineTimer(Vertx vertx, LongConsumer expired) {
    this.vertx = vertx;
    this.expired = expired;
  }

  /** Watches for {@code millis} from now (replacing any earlier deadline, later or sooner). */
  public void in(long millis) {
    at(System.nanoTime() + Math.max(1, millis) * 1_000_000);
  }

  /** Watches for the deadline {@code dueNanos} ({@link System#nanoTime}). */
  public void at(long dueNanos) {
    due = dueNanos;
    watching = true;
    // A timer due no later than the deadline fires in time and re-arms; only a later one is replaced.
    if (timer >= 0 && timerDue - dueNanos > 0) cancelTimer();
    if (timer < 0) arm(dueNanos);
  }

  /** Stops watching (the call ended, the stream is paused on its client); {@link #in} starts again. */
  public void stop() {
    watching = false;
    cancelTimer();
  }

  private void arm(long dueNanos) {
    long millis = Math.max(1, (dueNanos - System.nanoTime() + 999_999) / 1_000_000); // never early
    timerDue = System.nanoTime() + millis * 1_000_000;
    timer = vertx.setTimer(millis, t -> {
      timer = -1;
      fired();
    });
  }

  private void fired() {
    if (!watching) return;
    if (due - System.nanoTime() > 0) {
      arm(due);
      return;
    }
    watching = false;
    expired.accept(due);
  }

  private void cancelTimer() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
  }
}
