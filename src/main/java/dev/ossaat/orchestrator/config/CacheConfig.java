package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Response cache settings with the runbook's keys ({@code cache.ttl} in seconds, {@code maxSize} entries).
 *
 * @param type where entries live: each pod's memory, or the shared Redis ({@code redis:}) every replica reads
 * @param ttl how long an entry lives; also the longest a client may ask for with {@code x-orchestrator-cache-ttl}
 * @param maxSize entries kept; past it the entry closest to its expiry is evicted (the oldest, with one TTL)
 * @param compressionEnabled gzip entries (on a worker thread, never on an event loop)
 * @param cacheNonDeterministic also cache requests that ask for a sampled answer ({@code temperature > 0},
 *     {@code n > 1}) or offer tools; off by default: a repeat would not be what the client asked for
 */
public record CacheConfig(boolean enabled, CacheType type, Duration ttl, int maxSize, boolean compressionEnabled,
    boolean cacheNonDeterministic) {
  public static final CacheConfig DEFAULTS =
      new CacheConfig(false, CacheType.MEMORY, Duration.ofHours(1), 10_000, false, false);

  /** Where cached responses live. */
  public enum CacheType {
    MEMORY,
    REDIS
  }
}
