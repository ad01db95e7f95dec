package dev.ossaat.orchestrator.identity;

import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other replicas that a key changed (disabled, rotated, deleted, edited) so they forget
 * their cached record at once: the admin API publishes the key id on {@code <prefix>keys:changes},
 * every replica subscribes. Best effort: a replica that misses a message (its subscription was down)
 * still re-reads the record within {@code auth.cacheTtl}, which stays the guaranteed bound.
 */
public final class KeyChanges {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.identity");
  private static final long RETRY_MS = 2000;

  private final Vertx vertx;
  private final Supplier<SharedRedis> redis;
  private final KeyAuthenticator authenticator;
  private volatile boolean closed;
  private volatile RedisConnection connection;

  public KeyChanges(Vertx vertx, Supplier<SharedRedis> redis, KeyAuthenticator authenticator) {
    this.vertx = vertx;
    this.redis = redis;
    this.authenticator = authenticator;
  }

  /** Subscribes, and subscribes again after a lost connection, until {@link #close}. */
  public void start() {
    if (closed) return;
    SharedRedis r = redis.get();
    String channel = r.key("keys:changes");
    r.subscriberConnection().compose(conn -> {
      connection = conn;
      conn.handler(this::message);
      conn.exceptionHandler(t -> {});
      conn.endHandler(v -> retry());
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
    }).onFailure(t -> retry());
  }

  /** After a change through the admin API: the other replicas forget the key's record. */
  public Future<Void> publish(String keyId) {
    SharedRedis r = redis.get();
    return r.send(KeyStore.USE, Request.cmd(Command.PUBLISH).arg(r.key("keys:changes")).arg(keyId)).mapEmpty();
  }

  public void close() {
    closed = true;
    RedisConnection c = connection;
    if (c != null) c.close();
  }

  private void message(Response r) {
    // ["message", channel, key id], as a RESP3 push or a RESP2 array
    if (r == null || r.size() != 3 || r.get(0) == null || !"message".equals(r.get(0).toString())) return;
    authenticator.invalidate(r.get(2).toString());
  }

  private void retry() {
    connection = null;
    if (closed) return;
    LOG.debug("key change subscription lost; subscribing again in {} ms", RETRY_MS);
    vertx.setTimer(RETRY_MS, id -> start());
  }
}
