package dev.ossaat.orchestrator.config;

/**
 * Bounds on client-controlled metric labels. Past these many distinct values, new ones are counted
 * under {@code other}: user ids as labels must never grow Prometheus until it falls over.
 */
public record MetricsConfig(int maxTenants, int maxUsers, int maxModels) {
  public static final MetricsConfig DEFAULTS = new MetricsConfig(100, 100, 200);
}
