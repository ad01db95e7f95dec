package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Who may call ({@code auth:}).
 *
 * @param mode {@code headers} (the default: the caller asserts {@code X-Tenant-Id}/{@code X-User-Id}, for
 *     a trusted network and the demo) or {@code keys} (a gateway API key is required on every API request)
 * @param cacheTtl how long a replica trusts its local copy of a key's record (and of "no such key"):
 *     changes are also announced to every replica at once (pub/sub); this is the bound when a replica
 *     missed the announcement
 * @param cacheMaxSize keys remembered per replica
 */
public record AuthConfig(Mode mode, Duration cacheTtl, int cacheMaxSize) {
  public enum Mode {
    HEADERS, KEYS
  }

  public static final AuthConfig DEFAULTS = new AuthConfig(Mode.HEADERS, Duration.ofSeconds(5), 10_000);

  public boolean keys() {
    return mode == Mode.KEYS;
  }
}
