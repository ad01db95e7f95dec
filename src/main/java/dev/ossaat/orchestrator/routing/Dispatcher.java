package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Operation;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Tries the candidates of a request in order until one succeeds, all within the request's one
 * deadline. A failure that another provider might not have (timeout, 429, 5xx, connect error, our
 * credential rejected) moves on to the next candidate; a client error ends the request at once.
 *
 * <p>Circuit breakers, retries with backoff on the same provider and admission queues belong between
 * choosing a candidate and calling it: {@link #attempt} is that place.
 */
public final class Dispatcher {
  private final Vertx vertx;
  private final AttemptRecorder recorder;

  public Dispatcher(Vertx vertx, AttemptRecorder recorder) {
    this.vertx = vertx;
    this.recorder = recorder;
  }

  /**
   * Runs the operation against the candidates. A success of a non-streaming operation is recorded
   * here; a stream's success is only known when it ends, so its caller records it.
   *
   * @param onClientGone registers the action to run if the client disconnects meanwhile
   */
  public <T> Future<Dispatched<T>> dispatch(RequestContext ctx, List<Candidate> candidates, Operation operation,
      BiFunction<Candidate, ProviderCall, Future<T>> call, Consumer<Runnable> onClientGone) {
    Promise<Dispatched<T>> promise = Promise.promise();
    new Run<>(ctx, candidates, operation, call, promise, onClientGone).attempt(0, true);
    return promise.future();
  }

  private final class Run<T> {
    private final RequestContext ctx;
    private final List<Candidate> candidates;
    private final Operation operation;
    private final BiFunction<Candidate, ProviderCall, Future<T>> call;
    private final Promise<Dispatched<T>> promise;
    private CallControl current;
    private boolean clientGone;

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
        if (current != null) {
          current.cancel(ProviderException.of("client", ErrorType.CANCELLED, "client disconnected"));
        }
      });
    }

    void attempt(int index, boolean allRateLimitedSoFar) {
      Candidate candidate = candidates.get(index);
      long remaining = ctx.deadline().remainingMillis();
      CallControl control = new CallControl();
      current = control;
      long start = System.nanoTime();
      recorder.started(candidate.name());
      if (clientGone) {
        control.cancel(cancelled(candidate));
      } else if (remaining <= 0) {
        control.cancel(deadlineReached(candidate));
      }
      long timeout = candidate.provider().config().timeout().toMillis();
      // The provider's own timeout is the adapter's; the request's deadline is enforced here, so
      // whichever comes first ends the attempt, and the client is told which one it was.
      long deadlineTimer = vertx.setTimer(Math.max(1, remaining), t -> control.cancel(deadlineReached(candidate)));
      Future<T> result = control.cancelled()
          ? Future.failedFuture(control.reason())
          : call.apply(candidate, new ProviderCall(ctx.request(), candidate.upstreamModel(), timeout, control));
      result.onComplete(ar -> {
        vertx.cancelTimer(deadlineTimer);
        long latency = System.nanoTime() - start;
        if (ar.succeeded()) {
          if (operation != Operation.CHAT_STREAM) recorder.succeeded(ctx, candidate.name(), operation, latency);
          promise.complete(new Dispatched<>(ar.result(), candidate, index + 1, start, control));
          return;
        }
        ProviderException error = asProviderError(candidate, control, ar.cause());
        if (clientGone && error.type() != ErrorType.CANCELLED) error = cancelled(candidate);
        boolean rateLimited = allRateLimitedSoFar && error.type() == ErrorType.RATE_LIMIT;
        boolean moveOn = error.type().tryNextProvider() && index + 1 < candidates.size()
            && !ctx.deadline().expired() && !clientGone;
        recorder.failed(ctx, operation, error, latency, moveOn ? candidates.get(index + 1).name() : null);
        if (moveOn) {
          attempt(index + 1, rateLimited);
        } else {
          promise.fail(new DispatchFailure(error, index + 1, rateLimited));
        }
      });
    }

    private ProviderException asProviderError(Candidate candidate, CallControl control, Throwable cause) {
      if (cause instanceof ProviderException pe) {
        // A cancellation raised before the provider was known carries a placeholder name.
        return pe.provider().equals(candidate.name()) ? pe
            : new ProviderException(candidate.name(), pe.type(), pe.upstreamStatus(), pe.getMessage(), pe.upstreamBody(), pe.retryAfter());
      }
      if (control.cancelled()) return control.reason();
      return ProviderException.of(candidate.name(), ErrorType.NETWORK, candidate.name() + " failed: " + cause.getClass().getSimpleName());
    }

    private ProviderException deadlineReached(Candidate candidate) {
      return ProviderException.of(candidate.name(), ErrorType.TIMEOUT,
          "request deadline of " + ctx.deadline().budgetMillis() + " ms reached while waiting for " + candidate.name());
    }

    private ProviderException cancelled(Candidate candidate) {
      return ProviderException.of(candidate.name(), ErrorType.CANCELLED, "client disconnected");
    }
  }
}
