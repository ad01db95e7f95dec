package dev.ossaat.orchestrator.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Entries in this pod's memory, with the same rules as the Redis cache: at most {@code maxSize}
 * entries, the one closest to expiry evicted first, expiry read from the entry against the cache's
 * clock. A short lock guards two small maps (no I/O under it); the bytes are encoded outside it.
 */
public final class MemoryResponseCache implements ResponseCache {
  private record Slot(String key, byte[] bytes, long expiresAt, long seq) {}

  private final int maxSize;
  private final CacheClock clock;
  private final EntryCodec codec;
  private final boolean compress;
  private final CacheMetrics metrics;
  private final Map<String, Slot> byKey = new HashMap<>();
  private final TreeSet<Slot> byExpiry = new TreeSet<>((a, b) -> a.expiresAt != b.expiresAt
      ? Long.compare(a.expiresAt, b.expiresAt) : Long.compare(a.seq, b.seq));
  private long seq;

  public MemoryResponseCache(Vertx vertx, int maxSize, boolean compress, CacheClock clock, CacheMetrics metrics) {
    this.maxSize = maxSize;
    this.clock = clock;
    this.codec = new EntryCodec(vertx, compress);
    this.compress = compress;
    this.metrics = metrics;
  }

  @Override
  public String backend() {
    return "memory";
  }

  @Override
  public Future<Optional<CachedAnswer>> get(String key) {
    byte[] bytes;
    synchronized (this) {
      Slot slot = byKey.get(key);
      if (slot == null) return Future.succeededFuture(Optional.empty());
      if (clock.millis() >= slot.expiresAt) {
        remove(slot);
        return Future.succeededFuture(Optional.empty());
      }
      bytes = slot.bytes;
    }
    return codec.decode(bytes).map(Optional::ofNullable);
  }

  @Override
  public Future<Void> put(String key, CachedAnswer answer) {
    // Visible at once, as the plain encoding (a copy, cheap on the event loop); with compression the
    // gzip form replaces it when a worker has made it, so the next identical request already hits.
    Slot slot;
    int evicted = 0;
    synchronized (this) {
      Slot old = byKey.get(key);
      if (old != null) remove(old);
      slot = new Slot(key, EntryCodec.encode(answer, false), answer.expiresAtMillis(), seq++);
      byKey.put(key, slot);
      byExpiry.add(slot);
      long now = clock.millis();
      while (!byExpiry.isEmpty() && byExpiry.first().expiresAt <= now) remove(byExpiry.first());
      while (byKey.size() > maxSize) {
        remove(byExpiry.first());
        evicted++;
      }
    }
    if (evicted > 0) metrics.evicted(backend(), evicted);
    metrics.stored(backend());
    if (!compress) return Future.succeededFuture();
    return codec.encode(answer).map(bytes -> {
      synchronized (this) {
        if (byKey.get(key) == slot) {
          remove(slot);
          Slot zipped = new Slot(key, bytes, slot.expiresAt, slot.seq);
          byKey.put(key, zipped);
          byExpiry.add(zipped);
        }
      }
      return (Void) null;
    }).otherwise(t -> {
      metrics.error(backend(), "put");
      return null;
    });
  }

  /** Entries held now (expired ones not yet swept included). */
  public synchronized int size() {
    return byKey.size();
  }

  private void remove(Slot slot) {
    byKey.remove(slot.key);
    byExpiry.remove(slot);
  }
}
