package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * The listener and the limits that apply to every request.
 *
 * @param requestTimeout the one deadline that bounds a whole request, across every attempt and
 *     fallback, so failover can never stack provider timeouts
 * @param drainTimeout on shutdown, how long in-flight requests and streams may take to finish
 */
public record ServerConfig(int port, int maxBodyBytes, Duration requestTimeout, Duration drainTimeout) {
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_PORT = 3000;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
}
