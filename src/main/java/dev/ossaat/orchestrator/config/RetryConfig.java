package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Retries of the same provider before falling back to the next one: exponential backoff with full
 * jitter, and the provider's {@code Retry-After} honoured up to {@code maxRetryAfter}. Every wait
 * stays inside the request's deadline.
 *
 * @param maxAttempts attempts per provider, the first included (1 = no retry, straight to fallback)
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
  public static final RetryConfig DEFAULTS =
      new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10));
}
