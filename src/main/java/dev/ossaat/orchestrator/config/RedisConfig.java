package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * The one Redis every replica shares ({@code redis:}): the response cache ({@code cache.type: redis}),
 * the limits and budgets, and the Responses API store all use this connection setup.
 *
 * @param url {@code redis://host:port[/db]} or {@code rediss://} for TLS; a password may be in it, but
 *     {@link #password} keeps it out of the config text
 * @param password optional ({@code ${REDIS_PASSWORD}} or a secrets file), never logged
 * @param keyPrefix prepended to every key this gateway writes, so several deployments (or the tests)
 *     can share one Redis without meeting
 * @param commandTimeout how long one command may take before its caller treats Redis as unavailable
 *     (a cache miss, the limits' fallback policy): Redis slow or down never hangs a request
 * @param maxPoolSize connections per process
 */
public record RedisConfig(String url, Secret password, String keyPrefix, Duration commandTimeout, int maxPoolSize) {
  public static final RedisConfig DEFAULTS =
      new RedisConfig("redis://127.0.0.1:6379", Secret.none(), "orchestrator:", Duration.ofMillis(250), 8);

  /** The URL for log lines and errors: any password in it is masked. */
  public String displayUrl() {
    return url.replaceAll("//[^@/]*@", "//***@");
  }

  public boolean tls() {
    return url.startsWith("rediss://");
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + displayUrl() + ", password=" + password + ", keyPrefix=" + keyPrefix
        + ", commandTimeout=" + commandTimeout + ", maxPoolSize=" + maxPoolSize + "]";
  }
}
