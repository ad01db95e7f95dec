package dev.ossaat.orchestrator.limits;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The limits' own series. Every label is bounded: reasons and scopes are fixed sets, the tenant is the
 * bounded tenant label ({@code metrics.maxTenants}, then {@code other}); never a key or user id.
 */
public final class LimitsMetrics {
  final Counter rejections;
  final Counter fallback;
  final Gauge degraded;
  final Gauge budgetUsed;
  final Gauge budgetSpent;
  final Histogram admission;
  final Counter settleFailures;

  public LimitsMetrics(PrometheusRegistry registry) {
    rejections = Counter.builder()
        .name("orchestrator_limit_rejections_total")
        .help("Requests refused by caller limits, by reason (requests, tokens, concurrency, daily_budget, monthly_budget, "
            + "max_tokens, prompt_too_large, limits_unavailable), scope (key, user, tenant, model, request) and tenant")
        .labelNames("reason", "scope", "tenant_id")
        .register(registry);
    fallback = Counter.builder()
        .name("orchestrator_limits_fallback_total")
        .help("Admissions decided without Redis (limits.onRedisUnavailable): decision=local (open policy, this replica's "
            + "share of each limit) or refused (closed policy)")
        .labelNames("decision")
        .register(registry);
    degraded = Gauge.builder()
        .name("orchestrator_limits_degraded")
        .help("1 while this replica decides limits without Redis (its last Redis admission failed), else 0")
        .register(registry);
    degraded.set(0);
    budgetUsed = Gauge.builder()
        .name("orchestrator_budget_used_ratio")
        .help("A tenant's spend against its budget as of its last admission (period: day or month); exported for tenants "
            + "with a budget")
        .labelNames("tenant_id", "period")
        .register(registry);
    budgetSpent = Gauge.builder()
        .name("orchestrator_budget_spent_dollars")
        .help("A tenant's spend in the current period (day or month, UTC on the Redis clock) as of its last admission, "
            + "reservations of requests in flight included")
        .labelNames("tenant_id", "period")
        .register(registry);
    admission = Histogram.builder()
        .name("orchestrator_limits_admission_seconds")
        .help("Time the limits' admission took (one Redis script round trip, or the local decision)")
        .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
        .register(registry);
    settleFailures = Counter.builder()
        .name("orchestrator_limits_settle_failures_total")
        .help("Settlements that could not reach Redis: the reservation stays (tokens refill within a minute, a "
            + "concurrency lease expires after limits' lease time)")
        .register(registry);
    fallback.labelValues("local");
    fallback.labelValues("refused");
  }
}
