package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.Usage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The cache's own metrics, beside the runbook's {@code orchestrator_provider_cache_hits_total} and
 * {@code _misses_total} (in {@code GatewayMetrics}): what hits saved, what the backend failed to do,
 * what was evicted for room, and how many requests waited for an identical one instead of calling.
 */
public final class CacheMetrics {
  private final Counter savedTokens;
  private final Counter savedDollars;
  private final Counter errors;
  private final Counter evictions;
  private final Counter coalesced;
  private final Counter skipped;
  private final Counter stores;

  /** @param backend the configured backend ({@code memory} or {@code redis}): its series exist from the start, at 0 */
  public CacheMetrics(PrometheusRegistry registry, String backend) {
    savedTokens = Counter.builder()
        .name("orchestrator_cache_saved_tokens_total")
        .help("Tokens a cache hit did not spend at a provider (the usage the cached answer was billed), by type "
            + "(prompt, completion).")
        .labelNames("model", "tenant", "type")
        .register(registry);
    savedDollars = Counter.builder()
        .name("orchestrator_cache_saved_dollars_total")
        .help("Dollars a cache hit did not spend at a provider: the cached answer's usage at its model's price "
            + "(unpriced models add nothing).")
        .labelNames("model", "tenant")
        .register(registry);
    errors = Counter.builder()
        .name("orchestrator_cache_errors_total")
        .help("Cache reads answered as misses and writes dropped because the backend failed or did not answer "
            + "within redis.commandTimeout, by backend and operation (get, put).")
        .labelNames("backend", "operation")
        .register(registry);
    evictions = Counter.builder()
        .name("orchestrator_cache_evictions_total")
        .help("Entries removed to keep cache.maxSize (the entry closest to its expiry goes first).")
        .labelNames("backend")
        .register(registry);
    coalesced = Counter.builder()
        .name("orchestrator_cache_coalesced_total")
        .help("Requests answered with the answer of an identical request already in flight on the pod "
            + "(single flight): one provider call for all of them. Counted as hits too.")
        .register(registry);
    skipped = Counter.builder()
        .name("orchestrator_cache_skipped_total")
        .help("Requests the cache did not consult, by reason: no_store, no_cache (Cache-Control), "
            + "non_deterministic (temperature > 0, n > 1 or tools, with cache.cacheNonDeterministic off).")
        .labelNames("reason")
        .register(registry);
    stores = Counter.builder()
        .name("orchestrator_cache_stores_total")
        .help("Answers written to the cache (after the client had them: a write never delays an answer).")
        .labelNames("backend")
        .register(registry);
    errors.labelValues(backend, "get");
    errors.labelValues(backend, "put");
    evictions.labelValues(backend);
    stores.labelValues(backend);
    for (String reason : new String[] {"no_store", "no_cache", "non_deterministic"}) skipped.labelValues(reason);
  }

  void saved(String model, String tenant, Usage usage, double dollars) {
    savedTokens.labelValues(model, tenant, "prompt").inc(usage.promptTokens());
    savedTokens.labelValues(model, tenant, "completion").inc(usage.completionTokens());
    savedDollars.labelValues(model, tenant).inc(dollars);
  }

  void error(String backend, String operation) {
    errors.labelValues(backend, operation).inc();
  }

  void stored(String backend) {
    stores.labelValues(backend).inc();
  }

  void evicted(String backend, int count) {
    evictions.labelValues(backend).inc(count);
  }

  void coalesced() {
    coalesced.inc();
  }

  void skipped(String reason) {
    skipped.labelValues(reason).inc();
  }
}
