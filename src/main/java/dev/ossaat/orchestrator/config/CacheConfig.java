package dev.ossaat.orchestrator.config;

import java.time.Duration;

/** Response cache settings with the runbook's keys ({@code cache.ttl} in seconds, {@code maxSize} entries). */
public record CacheConfig(boolean enabled, CacheType type, Duration ttl, int maxSize, boolean compressionEnabled) {
  public static final CacheConfig DEFAULTS = new CacheConfig(false, CacheType.MEMORY, Duration.ofHours(1), 10_000, false);

  /** Where cached responses live. */
  public enum CacheType {
    MEMORY,
    REDIS
  }
}
