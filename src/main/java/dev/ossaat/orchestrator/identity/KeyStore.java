package dev.ossaat.orchestrator.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Key records in the shared Redis, so every replica sees the same keys: {@code keys:id:<id>} holds a
 * key's record as JSON (with the key's SHA-256, never the key), {@code keys:index} the set of ids for
 * listing. A presented key names its id, so authentication is one GET, cached per replica
 * ({@link KeyAuthenticator}).
 */
public final class KeyStore {
  static final String USE = "limits";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<SharedRedis> redis;

  /** @param redis created on first use: a gateway that never uses keys never connects */
  public KeyStore(Supplier<SharedRedis> redis) {
    this.redis = redis;
  }

  /** A new key: the record, and the key itself, which exists only in this answer. */
  public record Created(ApiKey key, String secret) {}

  public Future<Created> create(ApiKey template) {
    String id = ApiKeyFormat.newId();
    String secret = ApiKeyFormat.newKey(id);
    ApiKey key = new ApiKey(id, ApiKeyFormat.sha256(secret), template.name(), template.tenant(), template.user(),
        template.models(), template.limits(), template.expiresAtMillis(), template.enabled(), template.createdAtMillis());
    SharedRedis r = redis.get();
    // SET NX: an id collision (2^48 ids) is refused, never an overwrite of another tenant's key.
    return r.batch(USE, List.of(
            Request.cmd(Command.SET).arg(r.key("keys:id:" + id)).arg(key.toStored().toString()).arg("NX"),
            Request.cmd(Command.SADD).arg(r.key("keys:index")).arg(id)))
        .compose(replies -> replies.get(0) == null
            ? Future.failedFuture(new IllegalStateException("key id collision, try again"))
            : Future.succeededFuture(new Created(key, secret)));
  }

  public Future<Optional<ApiKey>> get(String id) {
    SharedRedis r = redis.get();
    return r.send(USE, Request.cmd(Command.GET).arg(r.key("keys:id:" + id))).map(KeyStore::parse);
  }

  /** Every key, oldest first (for the admin API: a small number; one round trip for the ids, one for the records). */
  public Future<List<ApiKey>> list() {
    SharedRedis r = redis.get();
    return r.send(USE, Request.cmd(Command.SMEMBERS).arg(r.key("keys:index"))).compose(ids -> {
      if (ids == null || ids.size() == 0) return Future.succeededFuture(List.<ApiKey>of());
      Request mget = Request.cmd(Command.MGET);
      for (Response id : ids) mget.arg(r.key("keys:id:" + id.toString()));
      return r.send(USE, mget).map(values -> {
        List<ApiKey> out = new ArrayList<>();
        for (Response v : values) parse(v).ifPresent(out::add);
        out.sort(Comparator.comparingLong(ApiKey::createdAtMillis).thenComparing(ApiKey::id));
        return out;
      });
    });
  }

  /** Replaces a key's record (an update, a rotation); empty when there is no such key. */
  public Future<Optional<ApiKey>> put(ApiKey key) {
    SharedRedis r = redis.get();
    // SET XX: a key deleted meanwhile stays deleted.
    return r.send(USE, Request.cmd(Command.SET).arg(r.key("keys:id:" + key.id())).arg(key.toStored().toString()).arg("XX"))
        .map(reply -> reply == null ? Optional.<ApiKey>empty() : Optional.of(key));
  }

  /**
   * A new secret for the same id: the new key works at once; the old one stops at once, or at
   * {@code oldValidUntilMillis} (a grace period for clients to switch; 0: none).
   */
  public Future<Optional<Created>> rotate(ApiKey key, long oldValidUntilMillis) {
    String secret = ApiKeyFormat.newKey(key.id());
    ApiKey rotated = key.withSha256(ApiKeyFormat.sha256(secret)).withPrevious(key.sha256(), oldValidUntilMillis);
    return put(rotated).map(k -> k.map(updated -> new Created(updated, secret)));
  }

  public Future<Boolean> delete(String id) {
    SharedRedis r = redis.get();
    return r.batch(USE, List.of(Request.cmd(Command.DEL).arg(r.key("keys:id:" + id)),
            Request.cmd(Command.SREM).arg(r.key("keys:index")).arg(id)))
        .map(replies -> replies.get(0).toLong() > 0);
  }

  private static Optional<ApiKey> parse(Response value) {
    if (value == null) return Optional.empty();
    try {
      return Optional.of(ApiKey.fromStored(JSON.readTree(value.toString())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
