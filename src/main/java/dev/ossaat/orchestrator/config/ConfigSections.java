package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * The small flat sections as they are written, bound by {@link ConfigBinder}: every component is null
 * when its key is absent, so {@link ConfigLoader} can fill it from the shared {@code providers:}
 * settings or the defaults, and then check ranges. Component names are the config keys.
 */
final class ConfigSections {
  private ConfigSections() {}

  record Pool(Integer maxConnections, Integer maxIdleConnections, Duration connectionTimeout, Duration idleTimeout) {}

  record Breaker(Integer threshold, Duration timeout, Integer halfOpenRequests, Boolean countRateLimits) {}

  record Retry(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {}

  record Admission(Integer maxConcurrent, Integer maxQueued, Duration maxWait) {}

  record Batching(Boolean enabled, Integer maxBatchSize, Duration batchTimeout) {}

  record Cache(Boolean enabled, String type, Duration ttl, Integer maxSize, Boolean compressionEnabled,
      Boolean cacheNonDeterministic) {}

  record Redis(String url, String password, String keyPrefix, Duration commandTimeout, Integer maxPoolSize) {}

  record Ledger(Boolean enabled, String url, String user, String password, String spoolDir, String maxSpoolBytes,
      String segmentBytes, Duration shipInterval, Integer batchSize, String fsync, Duration fsyncInterval,
      Duration spoolWaitTimeout, Duration retryDelay, Integer maxPoolSize, Boolean migrate) {}

  record Reload(Boolean enabled, Duration interval) {}

  record Probes(Boolean enabled, Duration interval, Duration timeout) {}

  record Tls(Boolean insecureSkipVerify, String caFile) {}

  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
