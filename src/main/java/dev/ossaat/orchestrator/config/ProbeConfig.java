package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Active health probes: every {@code interval}, a cheap call to each provider (listing its models),
 * so health is known even without traffic. Off by default: probes to paid APIs are not free of risk
 * (rate limits), and traffic already tells.
 */
public record ProbeConfig(boolean enabled, Duration interval, Duration timeout) {
  public static final ProbeConfig DEFAULTS = new ProbeConfig(false, Duration.ofSeconds(30), Duration.ofSeconds(5));
}
