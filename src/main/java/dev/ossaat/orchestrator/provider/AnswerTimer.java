package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.timing.DeadlineTimer;
import io.vertx.core.Vertx;

/**
 * The first-byte and total timeouts of one whole-answer call on a single timer: watching the
 * first-byte deadline, then, once the answer has begun, the total one (a later deadline, so moving to
 * it costs no timer operation). A call costs one timer set and one cancel instead of two of each.
 */
final class AnswerTimer {
  private final DeadlineTimer timer;
  private final long startNanos = System.nanoTime();
  private final long totalMillis;
  private boolean begun;

  AnswerTimer(Vertx vertx, UpstreamErrors errors, CallControl control, long firstByteMillis, long totalMillis) {
    long firstByte = Math.min(firstByteMillis, totalMillis);
    this.totalMillis = totalMillis;
    this.timer = new DeadlineTimer(vertx, due -> {
      if (begun) {
        errors.expired(due, totalMillis, "in full", control);
      } else {
        errors.expired(due, firstByte, "with a first byte", control);
      }
    });
    timer.at(startNanos + firstByte * 1_000_000);
  }

  /** The answer's status and headers have arrived: only the total timeout applies now. */
  void begun() {
    begun = true;
    timer.at(startNanos + totalMillis * 1_000_000);
  }

  /** The call is over, however it ended. */
  void stop() {
    timer.stop();
  }
}
