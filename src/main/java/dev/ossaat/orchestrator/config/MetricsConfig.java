package dev.ossaat.orchestrator.config;

/**
 * Bounds on client-controlled metric labels. Past these many distinct values, new ones are counted
 * under {@code other}: user ids as labels must never grow Prometheus until it falls over.
 *
 * <p>{@code enabled} ({@code metrics.enabled}, default true) records the per-request provider series
 * (requests, latency, tokens, cost); {@code requestLog} ({@code logging.requestLog}, default true)
 * writes the one log line per request. Both exist so the benchmark's "bare" row can show what each
 * costs; production leaves them on. Changing either needs a restart.
 */
public record MetricsConfig(int maxTenants, int maxUsers, int maxModels, boolean enabled, boolean requestLog) {
  public static final MetricsConfig DEFAULTS = new MetricsConfig(100, 100, 200, true, true);

  public MetricsConfig(int maxTenants, int maxUsers, int maxModels) {
    this(maxTenants, maxUsers, maxModels, true, true);
  }
}
