package dev.ossaat.orchestrator.provider;

import io.vertx.core.Vertx;

/**
 * The first-byte and total timeouts of one whole-answer call on a single timer: it is armed for the
 * first-byte deadline and, if the answer has begun by then, re-armed for what is left of the total.
 * Most answers end before their first-byte deadline, so a call costs one timer set and one cancel
 * instead of two of each (timers are on the hot path of every request).
 */
final class AnswerTimer {
  private final Vertx vertx;
  private final UpstreamErrors errors;
  private final CallControl control;
  private final long firstByteMillis;
  private final long totalMillis;
  private final long startNanos = System.nanoTime();
  private long timer = -1;
  private boolean begun;
  private boolean stopped;

  AnswerTimer(Vertx vertx, UpstreamErrors errors, CallControl control, long firstByteMillis, long totalMillis) {
    this.vertx = vertx;
    this.errors = errors;
    this.control = control;
    this.totalMillis = totalMillis;
    this.firstByteMillis = Math.min(firstByteMillis, totalMillis);
    arm(this.firstByteMillis);
  }

  /** The answer's status and headers have arrived: only the total timeout applies now. */
  void begun() {
    begun = true;
  }

  /** The call is over, however it ended. */
  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void arm(long delayMillis) {
    timer = vertx.setTimer(Math.max(1, delayMillis), t -> {
      timer = -1;
      fired();
    });
  }

  private void fired() {
    if (stopped) return;
    if (!begun) {
      errors.expired(startNanos + firstByteMillis * 1_000_000, firstByteMillis, "with a first byte", control);
      return;
    }
    long due = startNanos + totalMillis * 1_000_000;
    long leftNanos = due - System.nanoTime();
    if (leftNanos > 0) {
      arm((leftNanos + 999_999) / 1_000_000); // never early
    } else {
      errors.expired(due, totalMillis, "in full", control);
    }
  }
}
