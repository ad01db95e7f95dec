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
  /** The policies around every provider call, outermost first. */
  private static final List<AttemptGuard> GUARDS = List.of(AttemptGuard.ADMISSION, AttemptGuard.DEADLINE, AttemptGuard.BREAKER);
  /**
   * Batched embeddings: the batcher takes the admission slot for each combined upstream call (the
   * provider's concurrency limit counts calls), so a request's attempt does not hold one of its own.
   */
  private static final List<AttemptGuard> BATCHED = List.of(AttemptGuard.DEADLINE, AttemptGuard.BREAKER);
  private boolean embeddingsBatched;

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

  /** Embeddings calls go through request batching, which takes the providers' admission slots itself. */
  public Dispatcher embeddingsBatched() {
    this.embeddingsBatched = true;
    return this;
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
    private final List<AttemptGuard> chain;
    private Attempt current;
    private boolean clientGone;
    private int calls;

    Run(RequestExchange ex, List<Candidate> candidates, Operation operation,
        BiFunction<Candidate, ProviderCall, Future<T>> call, Promise<Dispatched<T>> promise) {
      this.ex = ex;
      this.candidates = candidates;
      this.operation = operation;
      this.call = call;
      this.promise = promise;
      this.chain = embeddingsBatched && operation == Operation.EMBEDDINGS ? BATCHED : GUARDS;
      ex.onClientGone(() -> {
        if (promise.future().isComplete()) return; // a committed stream handles its own client
        clientGone = true;
        if (current == null) return;
        if (current.abandon != null) current.abandon.run(); // free the queue slot for someone still waiting
        current.control.cancel(ProviderException.of("client", ErrorType.CANCELLED, "client disconnected"));
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

    /** Moves to candidate {@code index}: skipped when open, attempted through its guards otherwise. */
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
        refuse(index, AttemptGuard.circuitOpen(new Attempt(ex, candidate, guard, 1))); // before queueing for nothing
        return;
      }
      attempt(index, new Attempt(ex, candidate, guard, 1));
    }

    /** Passes the attempt through its guards one by one, then calls the provider. */
    private void attempt(int index, Attempt a) {
      current = a;
      enter(a, 0, index);
    }

    private void enter(Attempt a, int guardIndex, int index) {
      if (guardIndex == chain.size()) {
        safely(a.candidate, () -> call(index, a), () -> exit(a, chain.size()));
        return;
      }
      chain.get(guardIndex).enter(a).onComplete(ar -> {
        if (ar.succeeded()) {
          enter(a, guardIndex + 1, index);
          return;
        }
        exit(a, guardIndex);
        ProviderException e = (ProviderException) ar.cause();
        if (clientGone || e.type() == ErrorType.CANCELLED || e.deadline()) {
          failures.add(clientGone ? AttemptGuard.cancelled(a.candidate) : e);
          fail();
        } else {
          refuse(index, e);
        }
      });
    }

    /** Gives back what the first {@code entered} guards took, in reverse order. */
    private void exit(Attempt a, int entered) {
      for (int i = entered - 1; i >= 0; i--) chain.get(i).exit(a);
    }

    private void call(int index, Attempt a) {
      Candidate planned = a.candidate;
      ProviderRegistry.Entry now = live.apply(planned.name()).orElse(null);
      Candidate candidate = now == null ? planned : new Candidate(now.adapter(), planned.config(), planned.upstreamModel());
      Provider provider = candidate.provider();
      CallControl control = a.control;
      calls++;
      a.startNanos = guards.clock().nanoTime();
      recorder.started(candidate.name());
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
        long latency = guards.clock().nanoTime() - a.startNanos;
        if (ar.succeeded()) {
          if (operation != Operation.CHAT_STREAM) {
            recorder.succeeded(ex, candidate.name(), operation, latency, a.permit);
            exit(a, chain.size());
            promise.complete(new Dispatched<>(ar.result(), candidate, calls, a.startNanos, control, () -> { }, a.permit));
          } else {
            // A stream holds its slot and permit until it ends (AttemptStream settles and releases them).
            promise.complete(new Dispatched<>(ar.result(), candidate, calls, a.startNanos, control,
                () -> exit(a, chain.size()), a.permit));
          }
          return;
        }
        ProviderException error = asProviderError(candidate, control, ar.cause());
        if (clientGone && error.type() != ErrorType.CANCELLED) error = AttemptGuard.cancelled(candidate);
        failures.add(error);
        afterFailure(index, a, error, latency);
      });
    }

    /** Retry the same provider, move on to the next, or give up; the attempt's guards are exited after its outcome is recorded. */
    private void afterFailure(int index, Attempt a, ProviderException error, long latency) {
      Candidate candidate = candidates.get(index);
      ProviderGuard guard = a.guard;
      boolean goOn = !clientGone && !ex.deadline().expired();
      boolean lastCandidate = index == candidates.size() - 1;
      Duration wait = goOn && a.number < guard.retry().maxAttempts()
          && ErrorPolicy.retrySameProvider(error.type(), lastCandidate)
          ? Backoff.before(guard.retry(), a.number, error.retryAfter()) : null;
      if (wait != null && wait.toMillis() < ex.deadline().remainingMillis()) {
        recorder.failed(ex, operation, error, latency, candidate.name(), a.permit);
        exit(a, chain.size());
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        guards.clock().schedule(Math.max(1, wait.toMillis()), () -> loop.runOnContext(v -> {
          if (stopped(candidate)) return;
          Attempt again = new Attempt(ex, candidate, guard, a.number + 1);
          if (guard.breaker().isOpen()) {
            refuse(index, AttemptGuard.circuitOpen(again)); // this failure may have just opened it
          } else {
            attempt(index, again);
          }
        }));
        return;
      }
      boolean moveOn = goOn && error.type().tryNextProvider() && index + 1 < candidates.size();
      recorder.failed(ex, operation, error, latency, moveOn ? candidates.get(index + 1).name() : null, a.permit);
      exit(a, chain.size());
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
        failures.add(AttemptGuard.cancelled(candidate));
        fail();
        return true;
      }
      if (ex.deadline().expired()) {
        failures.add(ProviderException.deadline(candidate.name(), "request deadline of " + ex.deadline().budgetMillis()
            + " ms reached while waiting for " + candidate.name()));
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
  }
}
