package dev.ossaat.orchestrator.responses;

import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The store every replica shares ({@code responses.store: redis}): one key per response,
 * {@code <redis.keyPrefix>responses:<tenant hash>:<id>}, written with {@code SET ... PX ttl} so Redis
 * expires it. The tenant is part of the key (as a SHA-256 prefix: tenant ids are client input, of any
 * characters), so a lookup under another tenant finds nothing by construction. Every command is bounded
 * by {@code redis.commandTimeout} and counted under {@code use="responses"}.
 */
final class RedisResponseStore implements ResponseStore {
  static final String USE = "responses";

  private final SharedRedis redis;
  private final long ttlMillis;

  RedisResponseStore(SharedRedis redis, Duration ttl) {
    this.redis = redis;
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public Future<Optional<StoredResponse>> get(String tenant, String id) {
    return redis.send(USE, Request.cmd(Command.GET).arg(key(tenant, id)))
        .map(r -> r == null ? Optional.<StoredResponse>empty() : Optional.of(StoredResponse.of(r.toBuffer())));
  }

  @Override
  public Future<Void> put(String tenant, StoredResponse response) {
    Buffer value = response.toBuffer();
    return redis.send(USE, Request.cmd(Command.SET).arg(key(tenant, response.id())).arg(value).arg("PX").arg(ttlMillis))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String tenant, String id) {
    return redis.send(USE, Request.cmd(Command.DEL).arg(key(tenant, id))).map(r -> r != null && r.toLong() > 0);
  }

  String key(String tenant, String id) {
    return redis.key("responses:" + tenantHash(tenant) + ":" + id);
  }

  static String tenantHash(String tenant) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
