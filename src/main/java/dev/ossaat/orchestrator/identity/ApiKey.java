package dev.ossaat.orchestrator.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.LimitSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway API key's record: everything about a key except the key itself, of which only the
 * SHA-256 is kept. Stored in Redis as JSON, one record per key id.
 *
 * @param id the printable key id (in the key itself, in logs, the ledger and the admin API)
 * @param sha256 hex SHA-256 of the whole key
 * @param name a free label for operators
 * @param tenant the tenant every request with this key belongs to
 * @param user the user the key belongs to, or null: the request may then name its end user itself
 *     ({@code X-User-Id}, the body's {@code user} / {@code metadata.user_id}), always within the tenant
 * @param models the models it may use (empty: all)
 * @param limits the key's own limits (over {@code limits.key})
 * @param expiresAtMillis epoch milliseconds after which it is refused, or 0 for never
 * @param enabled a disabled key is refused with 401 but kept (it can be enabled again)
 */
public record ApiKey(String id, String sha256, String name, String tenant, String user, List<String> models, LimitSet limits,
    long expiresAtMillis, boolean enabled, long createdAtMillis, String previousSha256, long previousUntilMillis) {
  public ApiKey {
    models = List.copyOf(models);
    limits = limits == null ? LimitSet.NONE : limits;
  }

  /** A key without a rotated predecessor still in its grace period. */
  public ApiKey(String id, String sha256, String name, String tenant, String user, List<String> models, LimitSet limits,
      long expiresAtMillis, boolean enabled, long createdAtMillis) {
    this(id, sha256, name, tenant, user, models, limits, expiresAtMillis, enabled, createdAtMillis, null, 0);
  }

  /** After a rotation: the previous key's hash, accepted until {@code untilMillis} (0: not at all). */
  public ApiKey withPrevious(String previousHash, long untilMillis) {
    return new ApiKey(id, sha256, name, tenant, user, models, limits, expiresAtMillis, enabled, createdAtMillis,
        untilMillis > 0 ? previousHash : null, untilMillis > 0 ? untilMillis : 0);
  }

  /** Whether {@code hash} is this key's, or its predecessor's within the rotation's grace period. */
  public boolean matches(String hash, long nowMillis) {
    return ApiKeyFormat.sameHash(sha256, hash)
        || (previousSha256 != null && nowMillis < previousUntilMillis && ApiKeyFormat.sameHash(previousSha256, hash));
  }

  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }

  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
  }

  public ApiKey withSha256(String hash) {
    return new ApiKey(id, hash, name, tenant, user, models, limits, expiresAtMillis, enabled, createdAtMillis);
  }

  /** The stored form (with the hashes). */
  public ObjectNode toStored() {
    ObjectNode n = toPublic();
    n.put("sha256", sha256);
    if (previousSha256 != null) n.put("previousSha256", previousSha256);
    return n;
  }

  /** What the admin API shows: never the key, never its hash. */
  public ObjectNode toPublic() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", id);
    n.put("prefix", ApiKeyFormat.PREFIX + id + "_");
    if (name != null) n.put("name", name);
    n.put("tenant", tenant);
    if (user != null) n.put("user", user);
    ArrayNode m = n.putArray("models");
    models.forEach(m::add);
    n.set("limits", limitsJson(limits));
    if (expiresAtMillis > 0) n.put("expiresAt", java.time.Instant.ofEpochMilli(expiresAtMillis).toString());
    n.put("enabled", enabled);
    n.put("createdAt", java.time.Instant.ofEpochMilli(createdAtMillis).toString());
    if (previousUntilMillis > 0) n.put("previousKeyValidUntil", java.time.Instant.ofEpochMilli(previousUntilMillis).toString());
    return n;
  }

  public static ObjectNode limitsJson(LimitSet l) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (l.requestsPerMinute() >= 0) n.put("requestsPerMinute", l.requestsPerMinute());
    if (l.tokensPerMinute() >= 0) n.put("tokensPerMinute", l.tokensPerMinute());
    if (l.concurrentRequests() >= 0) n.put("concurrentRequests", l.concurrentRequests());
    if (l.dollarsPerDay() >= 0) n.put("dollarsPerDay", l.dollarsPerDay());
    if (l.dollarsPerMonth() >= 0) n.put("dollarsPerMonth", l.dollarsPerMonth());
    return n;
  }

  /** Limits as written in the admin API; absent or null fields are "no limit". */
  public static LimitSet limitsOf(JsonNode n) {
    if (n == null || !n.isObject()) return LimitSet.NONE;
    return new LimitSet(whole(n, "requestsPerMinute"), whole(n, "tokensPerMinute"), whole(n, "concurrentRequests"),
        dollars(n, "dollarsPerDay"), dollars(n, "dollarsPerMonth"));
  }

  /** Absent or null: no limit (-1), never 0 (which would refuse everything). */
  private static long whole(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? -1 : v.asLong();
  }

  private static double dollars(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? -1 : v.asDouble();
  }

  public static ApiKey fromStored(JsonNode n) {
    List<String> models = new ArrayList<>();
    n.path("models").forEach(m -> models.add(m.asText()));
    long expires = n.hasNonNull("expiresAt") ? java.time.Instant.parse(n.get("expiresAt").asText()).toEpochMilli() : 0;
    return new ApiKey(n.path("id").asText(), n.path("sha256").asText(), n.hasNonNull("name") ? n.get("name").asText() : null,
        n.path("tenant").asText(), n.hasNonNull("user") ? n.get("user").asText() : null, models, limitsOf(n.get("limits")),
        expires, n.path("enabled").asBoolean(true), java.time.Instant.parse(n.path("createdAt").asText()).toEpochMilli(),
        n.hasNonNull("previousSha256") ? n.get("previousSha256").asText() : null,
        n.hasNonNull("previousKeyValidUntil") ? java.time.Instant.parse(n.get("previousKeyValidUntil").asText()).toEpochMilli() : 0);
  }
}
