package dev.ossaat.orchestrator.responses;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ossaat.orchestrator.config.ResponsesConfig;
import dev.ossaat.orchestrator.resilience.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * This process's own store ({@code responses.store: memory}): bounded by the bytes it holds
 * ({@code maxBytes}), expiring after {@code ttl} on the gateway's clock. Entries are kept serialised,
 * so a reader can never change what another reads, and what they weigh is the memory they take.
 */
final class MemoryResponseStore implements ResponseStore {
  private record Key(String tenant, String id) {}

  private final Cache<Key, Buffer> entries;

  MemoryResponseStore(ResponsesConfig config, Clock clock) {
    this.entries = Caffeine.newBuilder()
        .maximumWeight(config.maxBytes())
        .weigher((Key k, Buffer b) -> b.length() + k.id().length() + k.tenant().length())
        .expireAfterWrite(config.ttl())
        .ticker(clock::nanoTime)
        .build();
  }

  @Override
  public Future<Optional<StoredResponse>> get(String tenant, String id) {
    Buffer b = entries.getIfPresent(new Key(tenant, id));
    return Future.succeededFuture(b == null ? Optional.empty() : Optional.of(StoredResponse.of(b)));
  }

  @Override
  public Future<Void> put(String tenant, StoredResponse response) {
    entries.put(new Key(tenant, response.id()), response.toBuffer());
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> delete(String tenant, String id) {
    return Future.succeededFuture(entries.asMap().remove(new Key(tenant, id)) != null);
  }
}
