package dev.ossaat.orchestrator.resilience;

import java.time.Duration;

/**
 * The one deadline of a request, shared by every attempt and fallback: each attempt gets at most
 * what is left, so failover can never stack provider timeouts past it.
 */
public record Deadline(long startNanos, long expiresAtNanos) {
  public static Deadline in(Duration budget) {
    long now = System.nanoTime();
    return new Deadline(now, now + budget.toNanos());
  }

  public long remainingMillis() {
    return Math.max(0, (expiresAtNanos - System.nanoTime()) / 1_000_000);
  }

  /** Less than a millisecond left counts as expired: timers fire at millisecond granularity. */
  public boolean expired() {
    return expiresAtNanos - System.nanoTime() < 1_000_000;
  }

  public long budgetMillis() {
    return (expiresAtNanos - startNanos) / 1_000_000;
  }
}
