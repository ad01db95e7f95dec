package dev.ossaat.orchestrator.health;

import java.util.Locale;

/** A provider's health as reported by {@code /health/providers}. */
public enum HealthStatus {
  HEALTHY,
  /** Serving, but errors or latency are above normal. */
  DEGRADED,
  /** Failing most requests, open breaker, or no credential to call it with. */
  UNHEALTHY,
  /** Turned off in the config. */
  DISABLED,
  /** Enabled, but no traffic in the window to judge by. */
  UNKNOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
