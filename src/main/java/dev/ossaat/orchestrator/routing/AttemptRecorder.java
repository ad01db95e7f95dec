package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.ErrorPolicy;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.resilience.ProviderBreaker;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.telemetry.RequestLog;

/**
 * Records every provider attempt in one place, so metrics, health, circuit breakers and logs can
 * never disagree: the in-flight gauge on start, then exactly one of {@link #succeeded} or
 * {@link #failed}. Attempts refused before a call (open breaker, full queue) are {@link #refused}.
 * What a failure means for the provider is the {@link ErrorPolicy} table's to say.
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

  public void succeeded(RequestExchange ex, String provider, Operation operation, long latencyNanos,
      ProviderBreaker.Permit permit) {
    metrics.inflight.labelValues(provider).dec();
    permit.success(latencyNanos);
    health.of(provider).success(latencyNanos);
    if (!metrics.providerSeries()) return;
    metrics.requests.labelValues(provider, ex.modelLabel(), "success", "", ex.labels().tenant()).inc();
    metrics.latency.labelValues(provider, ex.modelLabel(), operation.label(), ex.labels().tenant())
        .observe(latencyNanos / 1e9);
  }

  /**
   * A call that was made and failed.
   *
   * @param next the provider tried next (a retry names the same one), or null when this was the last
   */
  public void failed(RequestExchange ex, Operation operation, ProviderException e, long latencyNanos, String next,
      ProviderBreaker.Permit permit) {
    String provider = e.provider();
    metrics.inflight.labelValues(provider).dec();
    if (e.isEcho()) {
      permit.release(); // one upstream call shared by several requests counts once (ProviderException.echo)
    } else {
      permit.failure(latencyNanos, e);
    }
    // A deadline the client lowered itself is the client's choice, like leaving: not the provider's error.
    boolean cancelled = e.type() == ErrorType.CANCELLED || (e.deadline() && ex.clientDeadline());
    boolean series = metrics.providerSeries();
    if (series) metrics.requests.labelValues(provider, ex.modelLabel(), cancelled ? "cancelled" : "error", e.type().label(),
        ex.labels().tenant()).inc();
    if (cancelled) return; // the client left: not the provider's failure, not its latency
    ErrorPolicy.Rule rule = e.type().policy();
    if (series && rule.health() != ErrorPolicy.Health.NONE) {
      metrics.latency.labelValues(provider, ex.modelLabel(), operation.label(), ex.labels().tenant())
          .observe(latencyNanos / 1e9);
    }
    if (series && e.type() == ErrorType.TIMEOUT) metrics.timeouts.labelValues(provider, ex.modelLabel()).inc();
    if (series && next != null) metrics.retries.labelValues(provider, ex.modelLabel(), e.type().label()).inc();
    if (e.deadline() || e.isEcho()) {
      // The request ran out of time (that says nothing certain about the provider's health), or its
      // failure is another request's, already counted.
    } else if (rule.health() == ErrorPolicy.Health.FAILURE) {
      health.of(provider).failure(latencyNanos, e.getMessage());
    } else if (rule.health() == ErrorPolicy.Health.SUCCESS) {
      health.of(provider).success(latencyNanos); // it answered properly; the request was at fault
    }
    RequestLog.attemptFailed(e, ex.modelLabel(), ex.requestId(), next);
  }

  /**
   * An attempt refused before any call: the provider's breaker is open or its admission queue is full.
   * Counted as an error of that provider (the request could not use it), but no latency, no health
   * sample (the breaker already says it) and no log line per request (the breaker logs its transitions).
   */
  public void refused(RequestExchange ex, ProviderException e) {
    if (metrics.providerSeries()) metrics.requests.labelValues(e.provider(), ex.modelLabel(), "error", e.type().label(), ex.labels().tenant()).inc();
  }
}
