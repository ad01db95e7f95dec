package dev.ossaat.orchestrator.responses;

import dev.ossaat.orchestrator.config.ResponsesConfig;
import dev.ossaat.orchestrator.resilience.Clock;
import dev.ossaat.orchestrator.store.SharedRedis;
import java.util.function.Supplier;

/** The store {@code responses.store} names. */
public final class ResponseStores {
  private ResponseStores() {}

  /** @param redis the shared Redis, asked for only when the store is Redis (created on first use) */
  public static ResponseStore of(ResponsesConfig config, Clock clock, Supplier<SharedRedis> redis) {
    return config.store() == ResponsesConfig.StoreType.REDIS
        ? new RedisResponseStore(redis.get(), config.ttl())
        : new MemoryResponseStore(config, clock);
  }
}
