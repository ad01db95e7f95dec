package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Circuit breaker settings with the runbook's keys and defaults: {@code threshold} consecutive
 * failures open it, {@code timeout} later it half-opens, and {@code halfOpenRequests} trial requests
 * must all succeed to close it (one failure reopens it).
 *
 * @param countRateLimits whether a 429 counts as a failure (it does by default: a provider that
 *     throttles every request is as unusable as one that errors)
 */
public record CircuitBreakerConfig(int threshold, Duration timeout, int halfOpenRequests, boolean countRateLimits) {
  public static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(5, Duration.ofSeconds(60), 3, true);
}
