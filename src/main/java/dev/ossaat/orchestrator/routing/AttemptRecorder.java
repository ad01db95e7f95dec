package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Operation;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.resilience.ProviderBreaker;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.telemetry.RequestLog;

/**
 * Records every provider attempt in one place, so metrics, health, circuit breakers and logs can
 * never disagree: the in-flight gauge on start, then exactly one of {@link #succeeded} or
 * {@link #failed}. Attempts refused before a call (open breaker, full queue) are {@link #refused}.
 */
public final class AttemptRecorder {
  private final GatewayMetrics metrics;
  private final HealthRegistry health;

  public AttemptRecorder(GatewayMetrics metrics, HealthRegistry health) {
    this.metrics = metrics;
    this.health = health;
  }

  public void started(String provider) {
    metrics.inflight.labelValues(provider).inc();
  }

  public void succeeded(RequestContext ctx, String provider, Operation operation, long latencyNanos,
      ProviderBreaker.Permit permit) {
    metrics.inflight.labelValues(provider).dec();
    permit.success(latencyNanos);
    metrics.requests.labelValues(provider, ctx.modelLabel(), "success", "", ctx.identity().tenantId()).inc();
    metrics.latency.labelValues(provider, ctx.modelLabel(), operation.label(), ctx.identity().tenantId())
        .observe(latencyNanos / 1e9);
    health.of(provider).success(latencyNanos);
  }

  /**
   * A call that was made and failed.
   *
   * @param retry why the request goes on (another attempt follows), or null when this was the last
   */
  public void failed(RequestContext ctx, Operation operation, ProviderException e, long latencyNanos, String next,
      ProviderBreaker.Permit permit) {
    String provider = e.provider();
    metrics.inflight.labelValues(provider).dec();
    permit.failure(latencyNanos, e);
    // A deadline the client lowered itself is the client's choice, like leaving: not the provider's error.
    boolean cancelled = e.type() == ErrorType.CANCELLED || (e.deadline() && ctx.clientDeadline());
    metrics.requests.labelValues(provider, ctx.modelLabel(), cancelled ? "cancelled" : "error", e.type().label(),
        ctx.identity().tenantId()).inc();
    if (cancelled) return; // the client left: not the provider's failure, not its latency
    metrics.latency.labelValues(provider, ctx.modelLabel(), operation.label(), ctx.identity().tenantId())
        .observe(latencyNanos / 1e9);
    if (e.type() == ErrorType.TIMEOUT) metrics.timeouts.labelValues(provider, ctx.modelLabel()).inc();
    if (next != null) metrics.retries.labelValues(provider, ctx.modelLabel(), e.type().label()).inc();
    if (e.deadline()) {
      // The request ran out of time; that says nothing certain about the provider's health.
    } else if (isProviderFault(e.type())) {
      health.of(provider).failure(latencyNanos, e.getMessage());
    } else {
      health.of(provider).success(latencyNanos); // it answered properly; the request was at fault
    }
    RequestLog.attemptFailed(e, ctx.modelLabel(), ctx.requestId(), next);
  }

  /**
   * An attempt refused before any call: the provider's breaker is open or its admission queue is full.
   * Counted as an error of that provider (the request could not use it), but no latency, no health
   * sample (the breaker already says it) and no log line per request (the breaker logs its transitions).
   */
  public void refused(RequestContext ctx, ProviderException e) {
    metrics.requests.labelValues(e.provider(), ctx.modelLabel(), "error", e.type().label(), ctx.identity().tenantId()).inc();
  }

  /** Failures that say something about the provider; a client's own 4xx does not. */
  public static boolean isProviderFault(ErrorType type) {
    return switch (type) {
      case BAD_REQUEST, NOT_FOUND, CANCELLED, OVERLOADED -> false;
      case TIMEOUT, RATE_LIMIT, AUTH, SERVER_ERROR, NETWORK, CIRCUIT_OPEN, STREAM_CUT -> true;
    };
  }
}
