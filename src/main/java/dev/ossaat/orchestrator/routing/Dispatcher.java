package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Operation;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.resilience.AdmissionQueue;
import dev.ossaat.orchestrator.resilience.Backoff;
import dev.ossaat.orchestrator.provider.Provider;
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
import java.util.function.Consumer;

/**
 * Tries the candidates of a request in order until one succeeds, all within the request's one
 * deadline. For each candidate: skip it at once if its circuit breaker is open; wait for a slot in its
 * admission queue (bounded); call it; on a transient failure retry it with backoff (honouring
 * {@code Retry-After}) while its retry budget and the deadline allow; then move on to the next
 * candidate. A client error ends the request at once.
 */
public final class Dispatcher {
  private final Vertx vertx;
  private final AttemptRecorder recorder;
  private final Guards guards;
  private final Function<String, Optional<Provider>> liveProvider;

  /**
   * @param liveProvider the adapter a provider name has now: a request that outlives a config reload
   *     calls the current adapter, never one that the reload closed
   */
  public Dispatcher(Vertx vertx, AttemptRecorder recorder, Guards guards, Function<String, Optional<Provider>> liveProvider) {
    this.vertx = vertx;
    this.recorder = recorder;
    this.guards = guards;
    this.liveProvider = liveProvider;
  }

  /**
   * Runs the operation against the candidates. A success of a non-streaming operation is recorded
   * here; a stream's success is only known when it ends, so its caller records it (and releases its slot).
   *
   * @param onClientGone registers the action to run if the client disconnects meanwhile
   */
  public <T> Future<Dispatched<T>> dispatch(RequestContext ctx, List<Candidate> candidates, Operation operation,
      BiFunction<Candidate, ProviderCall, Future<T>> call, Consumer<Runnable> onClientGone) {
    Promise<Dispatched<T>> promise = Promise.promise();
    new Run<>(ctx, candidates, operation, call, promise, onClientGone).next(0);
    return promise.future();
  }

  /**
   * Failures worth another try of the same provider. A 5xx or a dropped connection is often gone a
   * moment later. A provider that throttles (429) or is too slow (timeout) is retried only when no
   * other candidate is left: otherwise waiting on it would only delay an answer another can give now.
   * A rejected credential or a cut stream is never retried.
   */
  static boolean retryOnSameProvider(ErrorType type, boolean lastCandidate) {
    return switch (type) {
      case SERVER_ERROR, NETWORK -> true;
      case RATE_LIMIT, TIMEOUT -> lastCandidate;
      default -> false;
    };
  }

  private final class Run<T> {
    private final RequestContext ctx;
    private final List<Candidate> candidates;
    private final Operation operation;
    private final BiFunction<Candidate, ProviderCall, Future<T>> call;
    private final Promise<Dispatched<T>> promise;
    private final List<ProviderException> failures = new ArrayList<>();
    private CallControl current;
    private Runnable abandonWait;
    private boolean clientGone;
    private int calls;

    Run(RequestContext ctx, List<Candidate> candidates, Operation operation,
        BiFunction<Candidate, ProviderCall, Future<T>> call, Promise<Dispatched<T>> promise,
        Consumer<Runnable> onClientGone) {
      this.ctx = ctx;
      this.candidates = candidates;
      this.operation = operation;
      this.call = call;
      this.promise = promise;
      onClientGone.accept(() -> {
        clientGone = true;
        if (abandonWait != null) abandonWait.run(); // free the queue slot for someone still waiting
        if (current != null) current.cancel(ProviderException.of("client", ErrorType.CANCELLED, "client disconnected"));
      });
    }

    /** Runs a step; a bug that throws must still answer the client and free what it holds. */
    private void safely(Runnable step, Runnable cleanup) {
      try {
        step.run();
      } catch (RuntimeException e) {
        cleanup.run();
        failures.add(ProviderException.of(failures.isEmpty() ? "none" : failures.get(failures.size() - 1).provider(),
            ErrorType.NETWORK, "internal error while calling the provider: " + e.getClass().getSimpleName()));
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
      if (guard == null || liveProvider.apply(candidate.name()).isEmpty()) {
        // A reload disabled or removed it while this request was under way: skip it, count nothing.
        failures.add(ProviderException.of(candidate.name(), ErrorType.NETWORK,
            candidate.name() + " was removed by a config reload"));
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
      Future<AdmissionQueue.Permit> waiting = guard.admission().acquire(ctx.deadline());
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
        safely(() -> attempt(index, attemptNumber, guard, permit, breakerPermit), () -> {
          permit.release();
          breakerPermit.release();
        });
      });
    }

    private void attempt(int index, int attemptNumber, ProviderGuard guard, AdmissionQueue.Permit permit,
        ProviderBreaker.Permit breakerPermit) {
      Candidate planned = candidates.get(index);
      Provider provider = liveProvider.apply(planned.name()).orElse(planned.provider());
      Candidate candidate = new Candidate(provider, planned.upstreamModel());
      CallControl control = new CallControl();
      current = control;
      calls++;
      long start = System.nanoTime();
      recorder.started(candidate.name());
      long remaining = ctx.deadline().remainingMillis();
      if (clientGone) {
        control.cancel(cancelled(candidate));
      } else if (remaining <= 0) {
        control.cancel(deadlineReached(candidate));
      }
      // The provider's own timeouts are the adapter's; the request's deadline is enforced here, so
      // whichever comes first ends the attempt, and the client is told which one it was.
      long deadlineTimer = vertx.setTimer(Math.max(1, remaining), t -> control.cancel(deadlineReached(candidate)));
      Future<T> result;
      try {
        result = control.cancelled()
            ? Future.failedFuture(control.reason())
            : call.apply(candidate, new ProviderCall(ctx.request(), candidate.upstreamModel(), control));
      } catch (RuntimeException e) {
        result = Future.failedFuture(ProviderException.of(candidate.name(), ErrorType.NETWORK,
            "cannot call " + candidate.name() + ": " + e.getClass().getSimpleName()));
      }
      result.onComplete(ar -> {
        vertx.cancelTimer(deadlineTimer);
        long latency = System.nanoTime() - start;
        if (ar.succeeded()) {
          if (operation != Operation.CHAT_STREAM) {
            permit.release();
            recorder.succeeded(ctx, candidate.name(), operation, latency, breakerPermit);
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
      boolean goOn = !clientGone && !ctx.deadline().expired();
      boolean lastCandidate = index == candidates.size() - 1;
      Duration wait = goOn && attemptNumber < guard.retry().maxAttempts() && retryOnSameProvider(error.type(), lastCandidate)
          ? Backoff.before(guard.retry(), attemptNumber, error.retryAfter()) : null;
      if (wait != null && wait.toMillis() < ctx.deadline().remainingMillis()) {
        recorder.failed(ctx, operation, error, latency, candidate.name(), breakerPermit);
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
      recorder.failed(ctx, operation, error, latency, moveOn ? candidates.get(index + 1).name() : null, breakerPermit);
      if (moveOn) {
        next(index + 1);
      } else {
        fail();
      }
    }

    private void refuse(int index, ProviderException e) {
      recorder.refused(ctx, e);
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
      if (ctx.deadline().expired()) {
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
      return ProviderException.of(candidate.name(), ErrorType.NETWORK, candidate.name() + " failed: " + cause.getClass().getSimpleName());
    }

    private ProviderException circuitOpen(Candidate candidate, ProviderGuard guard) {
      Duration left = guard.breaker().untilHalfOpen();
      return new ProviderException(candidate.name(), ErrorType.CIRCUIT_OPEN, 0,
          "circuit breaker of " + candidate.name() + " is open", null, left.isZero() ? Duration.ofSeconds(1) : left);
    }

    private ProviderException deadlineReached(Candidate candidate) {
      return ProviderException.deadline(candidate.name(),
          "request deadline of " + ctx.deadline().budgetMillis() + " ms reached while waiting for " + candidate.name());
    }

    private ProviderException cancelled(Candidate candidate) {
      return ProviderException.of(candidate.name(), ErrorType.CANCELLED, "client disconnected");
    }
  }
}
