package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.ErrorPolicy;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.resilience.AdmissionQueue;
import dev.ossaat.orchestrator.resilience.Backoff;
import dev.ossaat.orchestrator.resilience.Guards;
import dev.ossaat.orchestrator.resilience.ProviderBreaker;
import dev.ossaat.orchestrator.resilience.ProviderGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Tries the candidates of a request in order until one succeeds, all within the request's one
 * deadline (one timer, the exchange's). For each candidate: skip it at once if its circuit breaker is
 * open; wait for a slot in its admission queue (bounded); call it; on a failure the
 * {@link ErrorPolicy} says to retry, retry it with backoff (honouring {@code Retry-After}) while its
 * retry budget and the deadline allow; then move on to the next candidate if the table says to fall
 * back. A client error ends the request at once.
 */
public final class Dispatcher {
  private final Vertx vertx;
  private final AttemptRecorder recorder;
  private final Guards guards;
  private final Function<String, Optional<ProviderRegistry.Entry>> live;

  /**
   * @param live the adapter a provider name has now: a request that outlives a config reload calls
   *     the current adapter, never one that the reload closed
   */
  public Dispatcher(Vertx vertx, AttemptRecorder recorder, Guards guards, Function<String, Optional<ProviderRegistry.Entry>> live) {
    this.vertx = vertx;
    this.recorder = recorder;
    this.guards = guards;
    this.live = live;
  }

  public AttemptRecorder recorder() {
    return recorder;
  }

  /**
   * Runs the operation against the candidates. A success of a non-streaming operation is recorded
   * here; a stream's success is only known when it ends, so the attempt keeps its slot and breaker
   * permit until then (see {@link Dispatched}).
   */
  public <T> Future<Dispatched<T>> dispatch(RequestExchange ex, List<Candidate> candidates, Operation operation,
      BiFunction<Candidate, ProviderCall, Future<T>> call) {
    Promise<Dispatched<T>> promise = Promise.promise();
    new Run<>(ex, candidates, operation, call, promise).next(0);
    return promise.future();
  }

  private final class Run<T> {
    private final RequestExchange ex;
    private final List<Candidate> candidates;
    private final Operation operation;
    private final BiFunction<Candidate, ProviderCall, Future<T>> call;
    private final Promise<Dispatched<T>> promise;
    private final List<ProviderException> failures = new ArrayList<>();
    private CallControl current;
    private Runnable abandonWait;
    private boolean clientGone;
    private int calls;

    Run(RequestExchange ex, List<Candidate> candidates, Operation operation,
        BiFunction<Candidate, ProviderCall, Future<T>> call, Promise<Dispatched<T>> promise) {
      this.ex = ex;
      this.candidates = candidates;
      this.operation = operation;
      this.call = call;
      this.promise = promise;
      ex.onClientGone(() -> {
        if (promise.future().isComplete()) return; // a committed stream handles its own client
        clientGone = true;
        if (abandonWait != null) abandonWait.run(); // free the queue slot for someone still waiting
        if (current != null) current.cancel(ProviderException.of("client", ErrorType.CANCELLED, "client disconnected"));
      });
    }

    /** Runs a step; a bug that throws must still answer the client and free what it holds. */
    private void safely(Candidate candidate, Runnable step, Runnable cleanup) {
      try {
        step.run();
      } catch (RuntimeException e) {
        cleanup.run();
        failures.add(ProviderException.of(candidate.name(), ErrorType.INTERNAL,
            "internal error while calling " + candidate.name() + ": " + e.getClass().getSimpleName()));
        fail();
      }
    }

    /** Moves to candidate {@code index}: skipped when open, queued for a slot otherwise. */
    void next(int index) {
      if (index >= candidates.size()) {
        fail();
        return;
      }
      Candidate candidate = candidates.get(index);
      if (stopped(candidate)) return;
      ProviderGuard guard = guards.of(candidate.name());
      if (guard == null || live.apply(candidate.name()).isEmpty()) {
        // A reload disabled or removed it while this request was under way: the gateway's doing, not
        // the provider's. Skip it and hold nothing against it; it is what the client hears of only
        // when nothing else was tried (it must not hide a real failure of an earlier candidate).
        if (index + 1 >= candidates.size() && failures.isEmpty()) {
          failures.add(ProviderException.of(candidate.name(), ErrorType.INTERNAL,
              candidate.name() + " was removed by a config reload"));
        }
        next(index + 1);
        return;
      }
      if (guard.breaker().isOpen()) {
        refuse(index, circuitOpen(candidate, guard));
        return;
      }
      admit(index, 1, guard);
    }

    private void admit(int index, int attemptNumber, ProviderGuard guard) {
      Candidate candidate = candidates.get(index);
      Future<AdmissionQueue.Permit> waiting = guard.admission().acquire(ex.deadline());
      abandonWait = () -> guard.admission().abandon(waiting);
      waiting.onComplete(ar -> {
        abandonWait = null;
        if (ar.failed()) {
          refuse(index, ProviderException.of(candidate.name(), ErrorType.OVERLOADED,
              candidate.name() + " is at its concurrency limit: " + ar.cause().getMessage()));
          return;
        }
        AdmissionQueue.Permit permit = ar.result();
        if (stopped(candidate)) {
          permit.release();
          return;
        }
        ProviderBreaker.Permit breakerPermit = guard.breaker().tryAcquire();
        if (breakerPermit == null) {
          permit.release();
          refuse(index, circuitOpen(candidate, guard));
          return;
        }
        safely(candidate, () -> attempt(index, attemptNumber, guard, permit, breakerPermit), () -> {
          permit.release();
          breakerPermit.release();
        });
      });
    }

    private void attempt(int index, int attemptNumber, ProviderGuard guard, AdmissionQueue.Permit permit,
        ProviderBreaker.Permit breakerPermit) {
      Candidate planned = candidates.get(index);
      ProviderRegistry.Entry now = live.apply(planned.name()).orElse(null);
      Candidate candidate = now == null ? planned : new Candidate(now.adapter(), planned.config(), planned.upstreamModel());
      Provider provider = candidate.provider();
      CallControl control = new CallControl();
      current = control;
      calls++;
      long start = System.nanoTime();
      recorder.started(candidate.name());
      if (clientGone) {
        control.cancel(cancelled(candidate));
      } else if (ex.deadline().expired()) {
        control.cancel(deadlineReached(candidate));
      }
      // The provider's own timeouts are the adapter's; the request's deadline is the exchange's one
      // timer, which cancels whichever attempt is under way, so the client is told which one it was.
      ex.onDeadline(() -> control.cancel(deadlineReached(candidate)));
      Future<T> result;
      try {
        result = control.cancelled()
            ? Future.failedFuture(control.reason())
            : call.apply(candidate, new ProviderCall(ex.request(), candidate.upstreamModel(), candidate.config(), control));
      } catch (CodecException e) {
        // The client's request has no form in this provider's format: the client's to fix, not a fault.
        result = Future.failedFuture(ProviderException.of(candidate.name(), ErrorType.BAD_REQUEST,
            "the request cannot be sent to " + candidate.name() + ": " + e.getMessage()));
      } catch (RuntimeException e) {
        result = Future.failedFuture(ProviderException.of(candidate.name(), ErrorType.INTERNAL,
            "cannot call " + provider.name() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())));
      }
      result.onComplete(ar -> {
        long latency = System.nanoTime() - start;
        if (ar.succeeded()) {
          if (operation != Operation.CHAT_STREAM) {
            permit.release();
            recorder.succeeded(ex, candidate.name(), operation, latency, breakerPermit);
          }
          promise.complete(new Dispatched<>(ar.result(), candidate, calls, start, control, permit::release, breakerPermit));
          return;
        }
        permit.release();
        ProviderException error = asProviderError(candidate, control, ar.cause());
        if (clientGone && error.type() != ErrorType.CANCELLED) error = cancelled(candidate);
        failures.add(error);
        afterFailure(index, attemptNumber, guard, error, latency, breakerPermit);
      });
    }

    /** Retry the same provider, move on to the next, or give up. */
    private void afterFailure(int index, int attemptNumber, ProviderGuard guard, ProviderException error, long latency,
        ProviderBreaker.Permit breakerPermit) {
      Candidate candidate = candidates.get(index);
      boolean goOn = !clientGone && !ex.deadline().expired();
      boolean lastCandidate = index == candidates.size() - 1;
      Duration wait = goOn && attemptNumber < guard.retry().maxAttempts()
          && ErrorPolicy.retrySameProvider(error.type(), lastCandidate)
          ? Backoff.before(guard.retry(), attemptNumber, error.retryAfter()) : null;
      if (wait != null && wait.toMillis() < ex.deadline().remainingMillis()) {
        recorder.failed(ex, operation, error, latency, candidate.name(), breakerPermit);
        vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
          if (stopped(candidate)) return;
          if (guard.breaker().isOpen()) {
            refuse(index, circuitOpen(candidate, guard)); // this failure may have just opened it
          } else {
            admit(index, attemptNumber + 1, guard);
          }
        });
        return;
      }
      boolean moveOn = goOn && error.type().tryNextProvider() && index + 1 < candidates.size();
      recorder.failed(ex, operation, error, latency, moveOn ? candidates.get(index + 1).name() : null, breakerPermit);
      if (moveOn) {
        next(index + 1);
      } else {
        fail();
      }
    }

    private void refuse(int index, ProviderException e) {
      recorder.refused(ex, e);
      failures.add(e);
      next(index + 1);
    }

    /** True (and the request ended) when the client left or the deadline passed before a call. */
    private boolean stopped(Candidate candidate) {
      if (clientGone) {
        failures.add(cancelled(candidate));
        fail();
        return true;
      }
      if (ex.deadline().expired()) {
        failures.add(deadlineReached(candidate));
        fail();
        return true;
      }
      return false;
    }

    private void fail() {
      Duration retryAfter = null;
      for (ProviderException f : failures) {
        Duration hint = f.retryAfter();
        if (hint != null && (retryAfter == null || hint.compareTo(retryAfter) < 0)) retryAfter = hint;
      }
      promise.tryFail(new DispatchFailure(failures, retryAfter, calls));
    }

    private ProviderException asProviderError(Candidate candidate, CallControl control, Throwable cause) {
      if (cause instanceof ProviderException pe) {
        // A cancellation raised before the provider was known carries a placeholder name.
        return pe.provider().equals(candidate.name()) ? pe : pe.withProvider(candidate.name());
      }
      if (control.cancelled()) return control.reason();
      // Adapters classify every upstream failure; anything else is a bug of ours, never the provider's.
      return ProviderException.of(candidate.name(), ErrorType.INTERNAL,
          "internal error in the " + candidate.name() + " adapter: " + cause.getClass().getSimpleName());
    }

    private ProviderException circuitOpen(Candidate candidate, ProviderGuard guard) {
      Duration left = guard.breaker().untilHalfOpen();
      return new ProviderException(candidate.name(), ErrorType.CIRCUIT_OPEN, 0,
          "circuit breaker of " + candidate.name() + " is open", null, left.isZero() ? Duration.ofSeconds(1) : left);
    }

    private ProviderException deadlineReached(Candidate candidate) {
      return ProviderException.deadline(candidate.name(),
          "request deadline of " + ex.deadline().budgetMillis() + " ms reached while waiting for " + candidate.name());
    }

    private ProviderException cancelled(Candidate candidate) {
      return ProviderException.of(candidate.name(), ErrorType.CANCELLED, "client disconnected");
    }
  }
}
