package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.resilience.Clock;

/**
 * Wall-clock milliseconds for entry expiry, read from the gateway's injectable clock: entries carry
 * their expiry time, computed here, so a test crosses a TTL by advancing a manual clock and replicas
 * sharing Redis agree on expiry within their clocks' (NTP) skew.
 */
@FunctionalInterface
public interface CacheClock {
  long millis();

  /** Epoch milliseconds at creation, advanced by {@code clock}'s monotonic readings since. */
  static CacheClock of(Clock clock) {
    return Clock.wallMillis(clock)::getAsLong;
  }
}
