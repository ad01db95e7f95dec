package dev.ossaat.orchestrator.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The one deadline of a request, shared by every attempt and fallback: each attempt gets at most
 * what is left, so failover can never stack provider timeouts past it. Read on its own {@link Clock}
 * (the system's unless given), on which {@code startNanos} and {@code expiresAtNanos} are readings.
 */
public record Deadline(long startNanos, long expiresAtNanos, Clock clock) {
  public Deadline {
    Objects.requireNonNull(clock, "clock");
  }

  /** A deadline on the system clock. */
  public Deadline(long startNanos, long expiresAtNanos) {
    this(startNanos, expiresAtNanos, Clock.SYSTEM);
  }

  public static Deadline in(Duration budget) {
    return in(budget, Clock.SYSTEM);
  }

  public static Deadline in(Duration budget, Clock clock) {
    long now = clock.nanoTime();
    return new Deadline(now, now + budget.toNanos(), clock);
  }

  public long remainingMillis() {
    return Math.max(0, (expiresAtNanos - clock.nanoTime()) / 1_000_000);
  }

  /** Less than a millisecond left counts as expired: timers fire at millisecond granularity. */
  public boolean expired() {
    return expiresAtNanos - clock.nanoTime() < 1_000_000;
  }

  public long budgetMillis() {
    return (expiresAtNanos - startNanos) / 1_000_000;
  }
}
