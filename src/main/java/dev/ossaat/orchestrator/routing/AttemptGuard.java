package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * One policy around each provider call, in the order the dispatcher applies them: the admission
 * slot, the breaker permit, the request's deadline. {@link #enter} takes what the policy grants (or
 * refuses the attempt with a {@link ProviderException}: the candidate is skipped, or, for a client
 * that left or a deadline that passed, the request ends); {@link #exit} gives it back when the attempt
 * is over, in reverse order, exactly once.
 */
interface AttemptGuard {
  Future<Void> enter(Attempt attempt);

  default void exit(Attempt attempt) {}

  /** Bounded wait for a slot in the provider's admission queue; a full queue or an expired wait refuses. */
  AttemptGuard ADMISSION = new AttemptGuard() {
    @Override
    public Future<Void> enter(Attempt a) {
      Future<dev.ossaat.orchestrator.resilience.AdmissionQueue.Permit> waiting = a.guard.admission().acquire(a.ex.deadline());
      a.abandon = () -> a.guard.admission().abandon(waiting);
      return waiting.transform(ar -> {
        a.abandon = null;
        if (ar.failed()) {
          return Future.failedFuture(ProviderException.of(a.candidate.name(), ErrorType.OVERLOADED,
              a.candidate.name() + " is at its concurrency limit: " + ar.cause().getMessage()));
        }
        a.slot = ar.result();
        return Future.succeededFuture();
      });
    }

    @Override
    public void exit(Attempt a) {
      if (a.slot != null) a.slot.release();
      a.slot = null;
    }
  };

  /**
   * A permit of the provider's circuit breaker: none while it is open (or its half-open trials are
   * taken). The permit is settled with the attempt's outcome by the {@link AttemptRecorder}; an
   * attempt that ends without one gives it back.
   */
  AttemptGuard BREAKER = new AttemptGuard() {
    @Override
    public Future<Void> enter(Attempt a) {
      a.permit = a.guard.breaker().tryAcquire();
      if (a.permit == null) return Future.failedFuture(circuitOpen(a));
      return Future.succeededFuture();
    }

    @Override
    public void exit(Attempt a) {
      if (a.permit != null) a.permit.release(); // a no-op once the recorder has settled it
    }
  };

  /**
   * The request's one deadline: an attempt that would start past it, or after the client left, is not
   * made; one under way is cancelled by the exchange's single deadline timer.
   */
  AttemptGuard DEADLINE = a -> {
    if (a.ex.clientGone()) return Future.failedFuture(cancelled(a.candidate));
    if (a.ex.deadline().expired()) return Future.failedFuture(deadlineReached(a));
    a.ex.onDeadline(() -> a.control.cancel(deadlineReached(a)));
    return Future.succeededFuture();
  };

  static ProviderException circuitOpen(Attempt a) {
    Duration left = a.guard.breaker().untilHalfOpen();
    return new ProviderException(a.candidate.name(), ErrorType.CIRCUIT_OPEN, 0,
        "circuit breaker of " + a.candidate.name() + " is open", null, left.isZero() ? Duration.ofSeconds(1) : left);
  }

  static ProviderException deadlineReached(Attempt a) {
    return ProviderException.deadline(a.candidate.name(),
        "request deadline of " + a.ex.deadline().budgetMillis() + " ms reached while waiting for " + a.candidate.name());
  }

  static ProviderException cancelled(Candidate candidate) {
    return ProviderException.of(candidate.name(), ErrorType.CANCELLED, "client disconnected");
  }
}
