package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.routing.DispatchFailure;
import dev.ossaat.orchestrator.routing.RequestContext;
import dev.ossaat.orchestrator.telemetry.RequestLog;
import dev.ossaat.orchestrator.telemetry.RequestRecord;
import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * The end of every request, whatever path it took: usage accounted (reported, or estimated and
 * marked), and the one log line written. No request leaves without both.
 */
final class Outcomes {
  private final ApiServices s;

  Outcomes(ApiServices services) {
    this.s = services;
  }

  /** Estimated prompt tokens, for requests that ended before the provider reported usage. */
  Usage promptEstimate(RequestContext ctx, String model) {
    return new Usage(s.estimator().countPrompt(model, ctx.request().body()), 0, 0, true);
  }

  /**
   * Accounts the usage and writes the request's log line.
   *
   * @param billedModel the model the provider ran, whose price applies
   */
  void finish(RequestContext ctx, String provider, String billedModel, String status, ErrorType errorType,
      int httpStatus, Usage usage, boolean stream, int attempts, String message) {
    Optional<Double> cost = s.accountant().account(provider, ctx.modelLabel(), billedModel, ctx.identity(), usage);
    write(ctx, provider, status, errorType, httpStatus, usage, cost, stream, attempts, false, message);
  }

  /**
   * Answers a request that no provider could serve (nothing was sent to the client yet) and finishes
   * it. A client that already left gets no answer, but its request is still accounted and logged.
   */
  void dispatchFailed(HttpServerResponse response, RequestContext ctx, DispatchFailure failure) {
    ProviderException last = failure.last();
    boolean stream = ctx.request().stream();
    if (last.type() == ErrorType.CANCELLED) {
      // When a call had gone out, the provider may still bill the prompt: estimated and recorded.
      // A client that left while queued or backing off cost nothing.
      Usage usage = failure.attempts() > 0 ? promptEstimate(ctx, ctx.request().model()) : Usage.NONE;
      finish(ctx, last.provider(), ctx.request().model(), "cancelled", ErrorType.CANCELLED, 499,
          usage, stream, failure.attempts(), last.getMessage());
      return;
    }
    FailureResponses.Answer answer = FailureResponses.of(failure);
    if (!response.closed()) {
      response.putHeader(CompletionRoutes.PROVIDER_HEADER, last.provider());
      if (answer.retryAfterSeconds() > 0) response.putHeader("retry-after", Long.toString(answer.retryAfterSeconds()));
      CompletionRoutes.sendJson(response, answer.status(), answer.body());
    }
    finish(ctx, last.provider(), ctx.request().model(), "error", last.type(), answer.status(), Usage.NONE, stream,
        failure.attempts(), last.getMessage());
  }

  /** A response served from the gateway's cache: nothing billed. */
  void cacheHit(RequestContext ctx) {
    write(ctx, "cache", "success", null, 200, Usage.NONE, Optional.of(0.0), false, 0, true, null);
  }

  private static void write(RequestContext ctx, String provider, String status, ErrorType errorType, int httpStatus,
      Usage usage, Optional<Double> cost, boolean stream, int attempts, boolean cacheHit, String message) {
    long latencyMs = (System.nanoTime() - ctx.deadline().startNanos()) / 1_000_000;
    RequestLog.request(new RequestRecord(ctx.requestId(), ctx.request().operation().label(), provider, ctx.modelLabel(),
        ctx.identity(), status, errorType, httpStatus, usage, cost, latencyMs, stream, attempts, cacheHit, message));
  }
}
