package dev.ossaat.orchestrator.cache;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Where answers are kept: each pod's memory ({@link MemoryResponseCache}, the default) or the Redis all
 * replicas share ({@link RedisResponseCache}). Both keep at most {@code cache.maxSize} entries, evict
 * the entry closest to its expiry first (the oldest write, when every entry has the same TTL), serve
 * nothing past its expiry, and store entries in the same encoding ({@link EntryCodec}, gzip when
 * {@code compressionEnabled}).
 *
 * <p>Neither ever fails a request: a backend that is slow or down answers {@link #get} with a miss and
 * drops a {@link #put}, within {@code redis.commandTimeout}; both are counted.
 */
public interface ResponseCache {
  /** The entry under {@code key}, or empty (absent, expired, or the backend did not answer in time). */
  Future<Optional<CachedAnswer>> get(String key);

  /** Stores an entry until its {@link CachedAnswer#expiresAtMillis}; never fails (a lost write is counted). */
  Future<Void> put(String key, CachedAnswer answer);

  /** {@code memory} or {@code redis}: the {@code backend} label of the cache's metrics. */
  String backend();
}
