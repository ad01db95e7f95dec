package dev.ossaat.orchestrator.config;

import java.time.Duration;

/** Upstream connection pool of one provider; the defaults are the runbook's. */
public record ConnectionPoolConfig(
    int maxConnections, int maxIdleConnections, Duration connectionTimeout, Duration idleTimeout) {
  public static final ConnectionPoolConfig DEFAULTS =
      new ConnectionPoolConfig(100, 10, Duration.ofSeconds(30), Duration.ofSeconds(90));
}
