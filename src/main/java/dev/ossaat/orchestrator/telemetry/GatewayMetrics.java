package dev.ossaat.orchestrator.telemetry;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every metric the runbook names, defined with client_java so names, labels and buckets are exactly
 * the runbook's (Micrometer would rename them). One registry per gateway instance, so tests can run
 * several gateways in one JVM.
 */
public final class GatewayMetrics {
  /** The runbook's latency buckets, in seconds: from fast completions to two-minute generations. */
  public static final double[] LATENCY_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final PrometheusRegistry registry = new PrometheusRegistry();

  public final Counter requests = Counter.builder()
      .name("orchestrator_provider_requests_total")
      .help("Provider attempts by outcome. status is success, error, or cancelled (the client went away).")
      .labelNames("provider", "model", "status", "error_type", "tenant_id")
      .register(registry);

  public final Histogram latency = Histogram.builder()
      .name("orchestrator_provider_latency_seconds")
      .help("Provider attempt latency: whole response for chat and embeddings, time to first chunk for chat_stream.")
      .labelNames("provider", "model", "operation", "tenant_id")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);

  public final Counter timeouts = Counter.builder()
      .name("orchestrator_provider_timeouts_total")
      .help("Provider attempts that hit a timeout or the request deadline.")
      .labelNames("provider", "model")
      .register(registry);

  public final Counter tokens = Counter.builder()
      .name("orchestrator_provider_tokens_total")
      .help("Tokens used, from the provider's reported usage (or estimated, see orchestrator_provider_estimated_tokens_total).")
      .labelNames("provider", "model", "type", "tenant_id", "user_id")
      .register(registry);

  public final Counter estimatedTokens = Counter.builder()
      .name("orchestrator_provider_estimated_tokens_total")
      .help("The part of orchestrator_provider_tokens_total counted by our tokenizer because the provider reported no usage.")
      .labelNames("provider", "model", "type")
      .register(registry);

  public final Counter tokenDetails = Counter.builder()
      .name("orchestrator_provider_token_details_total")
      .help("Parts of orchestrator_provider_tokens_total priced apart: prompt tokens read from (cache_read) or written to "
          + "(cache_write) the provider's prompt cache, and completion tokens spent on reasoning.")
      .labelNames("provider", "model", "type", "tenant_id")
      .register(registry);

  public final Counter requestsShed = Counter.builder()
      .name("orchestrator_requests_shed_total")
      .help("Requests refused before any provider was called because orchestrator itself was at capacity "
          + "(reason inflight_limit: server.maxInflightRequests), answered 503 gateway_overloaded with Retry-After.")
      .labelNames("reason")
      .register(registry);

  public final Counter cost = Counter.builder()
      .name("orchestrator_provider_cost_dollars_total")
      .help("Spend in US dollars from the price table.")
      .labelNames("provider", "model", "tenant_id")
      .register(registry);

  public final Counter unpriced = Counter.builder()
      .name("orchestrator_provider_unpriced_requests_total")
      .help("Requests whose model has no price: their spend is unknown, never silently $0.")
      .labelNames("provider", "model")
      .register(registry);

  public final Gauge circuitBreakerState = Gauge.builder()
      .name("orchestrator_provider_circuit_breaker_state")
      .help("Circuit breaker state per provider: 0 closed, 1 open (also when opened by an operator), "
          + "2 half-open (letting its trial requests through).")
      .labelNames("provider")
      .register(registry);

  public final Counter retries = Counter.builder()
      .name("orchestrator_provider_retries_total")
      .help("Further attempts made after a failed attempt of this provider, by the failure's error_type.")
      .labelNames("provider", "model", "reason")
      .register(registry);

  public final Counter cacheHits = Counter.builder()
      .name("orchestrator_provider_cache_hits_total")
      .help("Response cache hits.")
      .labelNames("model")
      .register(registry);

  public final Counter cacheMisses = Counter.builder()
      .name("orchestrator_provider_cache_misses_total")
      .help("Response cache misses (only requests that consulted the cache).")
      .labelNames("model")
      .register(registry);

  public final Gauge inflight = Gauge.builder()
      .name("orchestrator_inflight_requests")
      .help("Provider calls in flight; the autoscaler's per-pod signal.")
      .labelNames("provider")
      .register(registry);

  public final Gauge queueDepth = Gauge.builder()
      .name("orchestrator_queue_depth")
      .help("Requests waiting in a provider's admission queue (queue = provider name).")
      .labelNames("queue")
      .register(registry);

  public final Histogram queueWait = Histogram.builder()
      .name("orchestrator_queue_wait_seconds")
      .help("Time requests waited for a provider's admission slot (0 when admitted at once).")
      .labelNames("queue")
      .classicOnly()
      .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .register(registry);

  public final Gauge healthStatus = Gauge.builder()
      .name("orchestrator_provider_health_status")
      .help("Provider health from traffic and probes, one-hot: 1 for the current status "
          + "(healthy, degraded, unhealthy, unknown, disabled), 0 for the others.")
      .labelNames("provider", "status")
      .register(registry);

  public final Counter httpRequests = Counter.builder()
      .name("orchestrator_http_requests_total")
      .help("Requests answered by the gateway, by route and HTTP status code.")
      .labelNames("route", "code")
      .register(registry);

  public final Counter httpConnectionsRefused = Counter.builder()
      .name("orchestrator_http_connections_refused_total")
      .help("Client connections the gateway closed itself: over server.maxConnections (limit), request headers "
          + "not complete within server.headerTimeout (header_timeout), a body not complete within server.bodyTimeout "
          + "(body_timeout), no request for server.idleTimeout (idle).")
      .labelNames("reason")
      .register(registry);

  public final Gauge httpConnectionsOpen = Gauge.builder()
      .name("orchestrator_http_connections_open")
      .help("Client connections open now (at most server.maxConnections).")
      .register(registry);

  public GatewayMetrics() {
    JvmMetrics.builder().register(registry);
  }

  // metrics.enabled / logging.requestLog (set once at start; a change needs a restart).
  private volatile boolean providerSeries = true;
  private volatile boolean requestLog = true;

  /** Whether the per-request provider series (requests, latency, tokens, cost) and the request log line are on. */
  public void switches(boolean providerSeries, boolean requestLog) {
    this.providerSeries = providerSeries;
    this.requestLog = requestLog;
  }

  /** False with {@code metrics.enabled: false}: per-request provider counters are not recorded. */
  public boolean providerSeries() {
    return providerSeries;
  }

  /** False with {@code logging.requestLog: false}: no line per request (attempt failures are still logged). */
  public boolean requestLog() {
    return requestLog;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * The breaker gauge's value of a state label (closed, open, half_open), as the runbook reads it; NaN
   * for a state the breakers never enter (not a reason to fail a transition callback).
   */
  public static double circuitBreakerValue(String state) {
    return switch (state) {
      case "closed" -> 0;
      case "open" -> 1;
      case "half_open" -> 2;
      default -> Double.NaN;
    };
  }

  /** Sets a provider's breaker gauge: one series per provider, 0 closed, 1 open, 2 half-open. */
  public void circuitBreakerState(String provider, String state) {
    circuitBreakerState.labelValues(provider).set(circuitBreakerValue(state));
  }

  private static final String[] HEALTH_STATUSES = {"healthy", "degraded", "unhealthy", "unknown", "disabled"};

  /** Sets the one-hot health gauge of a provider. */
  public void healthStatus(String provider, String status) {
    for (String s : HEALTH_STATUSES) healthStatus.labelValues(provider, s).set(s.equals(status) ? 1 : 0);
  }

  private final java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Makes a provider's series exist at zero, so rates and alerts see it before its first failure.
   * Only the first time: a reload must not reset live gauges (an open breaker, calls in flight).
   */
  public void registerProvider(String provider) {
    if (!registered.add(provider)) return;
    circuitBreakerState(provider, "closed");
    inflight.labelValues(provider).set(0);
    queueDepth.labelValues(provider).set(0);
  }

  public CounterDataPoint httpRequest(String route, int code) {
    return httpRequests.labelValues(route, Integer.toString(code));
  }
}
