package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * The listener and the limits that apply to every request and every client connection.
 *
 * @param requestTimeout the one deadline that bounds a whole request, across every attempt and
 *     fallback, so failover can never stack provider timeouts
 * @param drainTimeout on shutdown, how long in-flight requests and streams may take to finish
 * @param headerTimeout how long a new connection may take to send its first request's headers
 * @param bodyTimeout how long a request's body may take to arrive in full once its headers have
 *     (408 when an answer is still possible, else the connection is closed)
 * @param idleTimeout how long a connection may sit with no request in progress (keep-alive) before
 *     it is closed; a request or stream in progress is never cut by it (its deadline bounds it)
 * @param maxConnections open client connections per process; beyond it new ones are closed at once
 * @param maxInflightRequests requests in flight per process; beyond it new ones get 503
 *     {@code gateway_overloaded} at once (the gateway's own overload, never a provider's)
 * @param warmUp traffic through a throwaway pipeline before readiness ({@code server.warmUp})
 */
public record ServerConfig(int port, int maxBodyBytes, Duration requestTimeout, Duration drainTimeout,
    Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections, int maxInflightRequests,
    WarmUpConfig warmUp) {
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_PORT = 3000;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_INFLIGHT_REQUESTS = 20_000;

  /** The connection limits at their defaults. */
  public ServerConfig(int port, int maxBodyBytes, Duration requestTimeout, Duration drainTimeout) {
    this(port, maxBodyBytes, requestTimeout, drainTimeout, DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_INFLIGHT_REQUESTS, WarmUpConfig.OFF);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(newPort, maxBodyBytes, requestTimeout, drainTimeout, headerTimeout, bodyTimeout, idleTimeout,
        maxConnections, maxInflightRequests, warmUp);
  }
}
