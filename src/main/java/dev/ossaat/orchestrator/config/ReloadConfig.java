package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Watching the config file and the mounted secrets: every {@code interval} they are read again and a
 * changed, valid result is applied without a restart.
 */
public record ReloadConfig(boolean enabled, Duration interval) {
  public static final ReloadConfig DEFAULTS = new ReloadConfig(true, Duration.ofSeconds(5));
}
