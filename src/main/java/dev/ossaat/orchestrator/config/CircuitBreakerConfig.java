package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Circuit breaker settings with the runbook's keys and defaults: {@code threshold} failures open it,
 * {@code timeout} later it half-opens, and {@code halfOpenRequests} trial requests decide.
 */
public record CircuitBreakerConfig(int threshold, Duration timeout, int halfOpenRequests) {
  public static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(5, Duration.ofSeconds(60), 3);
}
