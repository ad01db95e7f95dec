package dev.ossaat.orchestrator.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The Responses API's store ({@code responses:}): where a stored response (its input items and its
 * output, what a follow-up with {@code previous_response_id} needs) lives and for how long.
 *
 * @param store {@code memory} (this process only; a follow-up must reach the same replica) or
 *     {@code redis} (the shared {@code redis:} connection, so any replica can continue a conversation)
 * @param ttl how long a response can be read back or continued (default 24h; Redis expires the key)
 * @param maxBytes the memory store's bound, in bytes of stored JSON (default 256 MiB; the least recently
 *     used go first past it): a count alone would not bound memory, since one conversation may weigh
 *     megabytes. Redis is bounded by its TTL (and its own maxmemory)
 */
public record ResponsesConfig(StoreType store, Duration ttl, long maxBytes) {
  public static final ResponsesConfig DEFAULTS = new ResponsesConfig(StoreType.MEMORY, Duration.ofHours(24), 256L << 20);

  public enum StoreType {
    MEMORY,
    REDIS
  }

  /** The section as written; every component null when absent. */
  record Section(String store, Duration ttl, Long maxBytes) {}

  static ResponsesConfig from(ConfigNode n) {
    Section s = ConfigBinder.bind(n, Section.class);
    String store = s.store() == null ? "memory" : s.store().trim().toLowerCase(Locale.ROOT);
    StoreType type = switch (store) {
      case "memory", "in-memory" -> StoreType.MEMORY;
      case "redis" -> StoreType.REDIS;
      default -> throw new ConfigException(n.keyPath("store"), "expected memory or redis, got '" + s.store() + "'");
    };
    Duration ttl = s.ttl() == null ? DEFAULTS.ttl() : s.ttl();
    if (ttl.toMillis() < 1000) throw new ConfigException(n.keyPath("ttl"), "must be at least 1s");
    long max = s.maxBytes() == null ? DEFAULTS.maxBytes() : s.maxBytes();
    if (max < 1024) throw new ConfigException(n.keyPath("maxBytes"), "must be at least 1024");
    return new ResponsesConfig(type, ttl, max);
  }
}
