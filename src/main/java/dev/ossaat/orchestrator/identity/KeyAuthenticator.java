package dev.ossaat.orchestrator.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ossaat.orchestrator.resilience.Clock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Checks a presented key against its record, which each replica caches for {@code auth.cacheTtl}: the
 * hot path adds no Redis round trip. The replica that took an admin change forgets at once and
 * announces it ({@link KeyChanges}); the others forget when the announcement arrives, or at the latest
 * when the TTL runs out. Unknown ids are cached too,
 * so a flood of made-up keys costs Redis one GET per id per TTL. When Redis cannot be asked, a record
 * older than the TTL is still used for up to {@link #STALE_LIMIT} (a key known to be valid stays valid
 * through a short Redis outage); with none, the request is refused as unavailable, never let through.
 */
public final class KeyAuthenticator {
  static final Duration STALE_LIMIT = Duration.ofMinutes(10);

  /** What a presented key turned out to be. */
  public enum Verdict {
    OK, MISSING, INVALID, DISABLED, EXPIRED, UNAVAILABLE
  }

  public record Result(Verdict verdict, ApiKey key) {}

  private record Entry(Optional<ApiKey> key, long fetchedNanos) {}

  private final KeyStore store;
  private final Clock clock;
  private final LongSupplier wallMillis;
  private final long ttlNanos;
  private final Cache<String, Entry> cache;
  private final ConcurrentHashMap<String, Future<Optional<ApiKey>>> loading = new ConcurrentHashMap<>();

  /** @param wallMillis the wall clock for expiry (tests move it with the gateway's clock) */
  public KeyAuthenticator(KeyStore store, Clock clock, LongSupplier wallMillis, Duration ttl, int maxSize) {
    this.store = store;
    this.clock = clock;
    this.wallMillis = wallMillis;
    this.ttlNanos = ttl.toNanos();
    this.cache = Caffeine.newBuilder().maximumSize(maxSize).ticker(clock::nanoTime)
        .expireAfterWrite(STALE_LIMIT.plus(ttl)).build();
  }

  public long nowMillis() {
    return wallMillis.getAsLong();
  }

  public Future<Result> check(String presented) {
    if (presented == null || presented.isBlank()) return Future.succeededFuture(new Result(Verdict.MISSING, null));
    String id = ApiKeyFormat.idOf(presented.strip());
    if (id == null) return Future.succeededFuture(new Result(Verdict.INVALID, null));
    String hash = ApiKeyFormat.sha256(presented.strip());
    Entry e = cache.getIfPresent(id);
    if (e != null && clock.nanoTime() - e.fetchedNanos < ttlNanos) return Future.succeededFuture(judge(e.key, hash));
    return load(id).map(k -> judge(k, hash)).recover(t -> Future.succeededFuture(
        e != null ? judge(e.key, hash) : new Result(Verdict.UNAVAILABLE, null)));
  }

  /** Forget a key now (after an admin change on this replica). */
  public void invalidate(String id) {
    cache.invalidate(id);
  }

  private Future<Optional<ApiKey>> load(String id) {
    // One GET per id at a time, however many requests missed together. The handlers are attached
    // outside the map's lock: a future that completes at once must not update the map from inside it.
    Future<Optional<ApiKey>> running = loading.get(id);
    if (running != null) return running;
    io.vertx.core.Promise<Optional<ApiKey>> mine = io.vertx.core.Promise.promise();
    running = loading.putIfAbsent(id, mine.future());
    if (running != null) return running;
    store.get(id).onComplete(ar -> {
      if (ar.succeeded()) cache.put(id, new Entry(ar.result(), clock.nanoTime()));
      loading.remove(id, mine.future());
      mine.handle(ar);
    });
    return mine.future();
  }

  private Result judge(Optional<ApiKey> record, String hash) {
    if (record.isEmpty() || !record.get().matches(hash, wallMillis.getAsLong())) return new Result(Verdict.INVALID, null);
    ApiKey k = record.get();
    if (!k.enabled()) return new Result(Verdict.DISABLED, k);
    if (k.expiredAt(wallMillis.getAsLong())) return new Result(Verdict.EXPIRED, k);
    return new Result(Verdict.OK, k);
  }
}
