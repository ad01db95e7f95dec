package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.store.RedisScript;
import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries in the Redis every replica shares ({@code redis:}, use label {@code cache}). An entry is one
 * string key, {@code <redis.keyPrefix>cache:<sha256>}, holding the {@link EntryCodec} bytes with a Redis
 * expiry of its TTL (so Redis frees it even if nobody reads it). {@code maxSize} is enforced by an index,
 * a sorted set {@code <prefix>cache:index} of entry keys scored by expiry time, maintained atomically by
 * the write script (the index itself expires with its longest-lived entry, so an abandoned deployment leaves
 * nothing behind): an entry past its expiry leaves the index (and Redis), and while the index holds
 * more than {@code maxSize} entries the one closest to its expiry is deleted (with one TTL for all, the
 * oldest write). Redis' own {@code maxmemory-policy} stays a last resort, not the rule.
 *
 * <p>Redis slow or down: a read becomes a miss and a write is dropped, within {@code redis.commandTimeout}
 * (every command is bounded by {@link SharedRedis}); each is counted in
 * {@code orchestrator_cache_errors_total{backend="redis"}}, and the first after a success is logged.
 */
public final class RedisResponseCache implements ResponseCache {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.cache");
  static final String USE = "cache";
  /**
   * KEYS[1] entry, KEYS[2] index; ARGV[1] bytes, ARGV[2] TTL ms, ARGV[3] expiry (ms, the gateway's clock),
   * ARGV[4] now (ms, same clock), ARGV[5] maxSize. Returns the number of entries evicted for room.
   */
  static final RedisScript PUT = RedisScript.of("""
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
      if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
      local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 256)
      for _, k in ipairs(expired) do
        redis.call('DEL', k)
        redis.call('ZREM', KEYS[2], k)
      end
      local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
      if over > 0 then
        local victims = redis.call('ZRANGE', KEYS[2], 0, over - 1)
        for _, k in ipairs(victims) do redis.call('DEL', k) end
        redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
        return over
      end
      return 0
      """);

  private final SharedRedis redis;
  private final int maxSize;
  private final CacheClock clock;
  private final EntryCodec codec;
  private final CacheMetrics metrics;
  private final String index;
  private final AtomicBoolean degraded = new AtomicBoolean();

  public RedisResponseCache(Vertx vertx, SharedRedis redis, int maxSize, boolean compress, CacheClock clock,
      CacheMetrics metrics) {
    this.redis = redis;
    this.maxSize = maxSize;
    this.clock = clock;
    this.codec = new EntryCodec(vertx, compress);
    this.metrics = metrics;
    this.index = redis.key("cache:index");
    redis.declareUse(USE);
  }

  @Override
  public String backend() {
    return "redis";
  }

  String entryKey(String key) {
    return redis.key("cache:" + key);
  }

  @Override
  public Future<Optional<CachedAnswer>> get(String key) {
    return redis.send(USE, Request.cmd(Command.GET).arg(entryKey(key)))
        .compose(r -> {
          recovered();
          if (r == null) return Future.succeededFuture(Optional.<CachedAnswer>empty());
          return codec.decode(r.toBuffer().getBytes())
              .map(a -> a == null || a.expired(clock.millis()) ? Optional.<CachedAnswer>empty() : Optional.of(a));
        }, t -> {
          failed("get", t);
          return Future.succeededFuture(Optional.empty());
        });
  }

  @Override
  public Future<Void> put(String key, CachedAnswer answer) {
    long now = clock.millis();
    long ttl = Math.max(1, answer.expiresAtMillis() - now);
    return codec.encode(answer)
        .compose(bytes -> evalPut(entryKey(key), Buffer.buffer(bytes), ttl, answer.expiresAtMillis(), now))
        .map(r -> {
          recovered();
          int evicted = r == null ? 0 : r.toInteger();
          if (evicted > 0) metrics.evicted(backend(), evicted);
          metrics.stored(backend());
          return (Void) null;
        })
        .otherwise(t -> {
          failed("put", t);
          return null;
        });
  }

  /** The write script by SHA1, loaded with EVAL only when Redis does not know it (first use, a restart). */
  private Future<Response> evalPut(String entry, Buffer bytes, long ttl, long expiresAt, long now) {
    return redis.send(USE, script(Command.EVALSHA, PUT.sha1(), entry, bytes, ttl, expiresAt, now))
        .recover(t -> t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")
            ? redis.send(USE, script(Command.EVAL, PUT.source(), entry, bytes, ttl, expiresAt, now))
            : Future.failedFuture(t));
  }

  private Request script(Command command, String script, String entry, Buffer bytes, long ttl, long expiresAt, long now) {
    return Request.cmd(command).arg(script).arg(2).arg(entry).arg(index)
        .arg(bytes).arg(ttl).arg(expiresAt).arg(now).arg(maxSize);
  }

  private void failed(String operation, Throwable t) {
    metrics.error(backend(), operation);
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("response cache degraded to misses: redis did not answer a {} ({}); requests go to providers", operation,
          t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
  }

  private void recovered() {
    if (degraded.compareAndSet(true, false)) LOG.info("response cache reads and writes redis again");
  }
}
