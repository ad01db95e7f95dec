package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.LimitSet;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.identity.ApiKey;
import dev.ossaat.orchestrator.identity.ApiKeyFormat;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway API keys and run-time limits, behind the admin token, applied without a restart:
 * <pre>
 * POST   /admin/keys                 create: {tenant, user?, name?, models?, limits?, expiresAt? | expiresInSeconds?}
 *                                    → 201 with the key itself, shown this once
 * GET    /admin/keys                 list (never a key or its hash)
 * GET    /admin/keys/{id}
 * PATCH  /admin/keys/{id}            {enabled?, models?, limits?, expiresAt?, name?, user?}
 * POST   /admin/keys/{id}/rotate     {graceSeconds?}: a new key for the same id; the old one stops working (at once,
 *                                    or after graceSeconds) → 200 with the new key
 * DELETE /admin/keys/{id}
 * GET|PUT|DELETE /admin/limits/tenants/{tenant}                 the tenant's limits over the config's
 * GET|PUT|DELETE /admin/limits/tenants/{tenant}/users/{user}    one user's
 * </pre>
 * A key change is seen at once by the replica that took it, by the others when its announcement on
 * {@code keys:changes} arrives (at the latest within {@code auth.cacheTtl});
 * a limit change by every replica's next request (the admission script reads it).
 */
final class KeyAdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.admin");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ID = 256;

  private final AdminRoutes admin;
  private final AccessServices access;
  private final java.util.function.LongSupplier now;

  KeyAdminRoutes(AdminRoutes admin, AccessServices access) {
    this.admin = admin;
    this.access = access;
    this.now = access.authenticator()::nowMillis;
  }

  void register(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    router.post("/admin/keys").handler(body).handler(rc -> guarded(rc, () -> create(rc)));
    router.get("/admin/keys").handler(rc -> guarded(rc, () -> list(rc)));
    router.get("/admin/keys/:id").handler(rc -> guarded(rc, () -> withKey(rc, k -> Future.succeededFuture(k))));
    router.patch("/admin/keys/:id").handler(body).handler(rc -> guarded(rc, () -> patch(rc)));
    router.post("/admin/keys/:id/rotate").handler(body).handler(rc -> guarded(rc, () -> rotate(rc)));
    router.delete("/admin/keys/:id").handler(rc -> guarded(rc, () -> delete(rc)));
    router.get("/admin/limits/tenants/:tenant").handler(rc -> guarded(rc, () -> limits(rc, false)));
    router.get("/admin/limits/tenants/:tenant/users/:user").handler(rc -> guarded(rc, () -> limits(rc, false)));
    router.put("/admin/limits/tenants/:tenant").handler(body).handler(rc -> guarded(rc, () -> limits(rc, true)));
    router.put("/admin/limits/tenants/:tenant/users/:user").handler(body).handler(rc -> guarded(rc, () -> limits(rc, true)));
    router.delete("/admin/limits/tenants/:tenant").handler(rc -> guarded(rc, () -> clearLimits(rc)));
    router.delete("/admin/limits/tenants/:tenant/users/:user").handler(rc -> guarded(rc, () -> clearLimits(rc)));
  }

  /** Authorised, then the action; a Redis failure is a 503 with a plain message, never a stack trace. */
  private void guarded(RoutingContext rc, java.util.function.Supplier<Future<?>> action) {
    if (!admin.authorized(rc)) return;
    Future<?> f;
    try {
      f = action.get();
    } catch (BadRequest e) {
      HttpApi.sendError(rc, ApiError.invalidRequest(e.getMessage(), e.param));
      return;
    }
    f.onFailure(t -> {
      if (t instanceof BadRequest b) {
        HttpApi.sendError(rc, ApiError.invalidRequest(b.getMessage(), b.param));
        return;
      }
      LOG.warn("admin {} {} failed: {}", rc.request().method(), rc.request().path(), t.toString());
      HttpApi.sendError(rc, new ApiError(503, "service_unavailable", "key_store_unavailable",
          "the key store (Redis) did not answer; nothing was changed that was not confirmed", null));
    });
  }

  private Future<?> create(RoutingContext rc) {
    JsonNode b = body(rc);
    String tenant = id(b, "tenant", true);
    ApiKey template = new ApiKey("", "", text(b, "name"), tenant, id(b, "user", false), models(b), limits(b),
        expiry(b, 0), !b.has("enabled") || b.get("enabled").asBoolean(true), now.getAsLong());
    return access.keys().create(template).onSuccess(created -> {
      ObjectNode out = created.key().toPublic();
      out.put("key", created.secret());
      LOG.info("admin created API key {} for tenant={} user={}", created.key().id(), tenant,
          template.user() == null ? "-" : template.user());
      json(rc, 201, out);
    });
  }

  private Future<?> list(RoutingContext rc) {
    String tenant = rc.request().getParam("tenant");
    return access.keys().list().onSuccess(keys -> {
      ObjectNode out = JSON.createObjectNode();
      ArrayNode data = out.putArray("data");
      for (ApiKey k : keys) {
        if (tenant == null || tenant.equals(k.tenant())) data.add(k.toPublic());
      }
      json(rc, 200, out);
    });
  }

  private Future<?> patch(RoutingContext rc) {
    JsonNode b = body(rc);
    return withKey(rc, k -> {
      LimitSet limits = b.has("limits") ? k.limits().with(limits(b)) : k.limits();
      if (b.path("limits").isObject()) {
        // An explicit null removes that limit of the key.
        ObjectNode l = (ObjectNode) b.get("limits");
        limits = new LimitSet(l.has("requestsPerMinute") && l.get("requestsPerMinute").isNull() ? -1 : limits.requestsPerMinute(),
            l.has("tokensPerMinute") && l.get("tokensPerMinute").isNull() ? -1 : limits.tokensPerMinute(),
            l.has("concurrentRequests") && l.get("concurrentRequests").isNull() ? -1 : limits.concurrentRequests(),
            l.has("dollarsPerDay") && l.get("dollarsPerDay").isNull() ? -1 : limits.dollarsPerDay(),
            l.has("dollarsPerMonth") && l.get("dollarsPerMonth").isNull() ? -1 : limits.dollarsPerMonth());
      }
      ApiKey updated = new ApiKey(k.id(), k.sha256(), b.has("name") ? text(b, "name") : k.name(), k.tenant(),
          b.has("user") ? id(b, "user", false) : k.user(), b.has("models") ? models(b) : k.models(), limits,
          b.has("expiresAt") || b.has("expiresInSeconds") ? expiry(b, 0) : k.expiresAtMillis(),
          b.has("enabled") ? b.get("enabled").asBoolean() : k.enabled(), k.createdAtMillis())
          .withPrevious(k.previousSha256(), k.previousUntilMillis());
      return access.keys().put(updated).map(o -> {
        access.changed(k.id());
        LOG.info("admin updated API key {} enabled={}", k.id(), updated.enabled());
        return o.orElse(null);
      });
    });
  }

  private Future<?> rotate(RoutingContext rc) {
    String id = rc.pathParam("id");
    JsonNode b = body(rc);
    long grace = 0;
    if (b.hasNonNull("graceSeconds")) {
      if (!b.get("graceSeconds").canConvertToLong() || b.get("graceSeconds").asLong() < 0) {
        throw new BadRequest("graceSeconds must be a whole number of seconds, 0 or more", "graceSeconds");
      }
      grace = b.get("graceSeconds").asLong() * 1000;
    }
    long oldUntil = grace > 0 ? now.getAsLong() + grace : 0;
    return access.keys().get(checkedId(id)).compose(k -> {
      if (k.isEmpty()) {
        notFound(rc, id);
        return Future.succeededFuture();
      }
      return access.keys().rotate(k.get(), oldUntil).onSuccess(created -> {
        access.changed(id);
        if (created.isEmpty()) {
          notFound(rc, id);
          return;
        }
        LOG.info("admin rotated API key {}", id);
        ObjectNode out = created.get().key().toPublic();
        out.put("key", created.get().secret());
        json(rc, 200, out);
      });
    });
  }

  private Future<?> delete(RoutingContext rc) {
    String id = rc.pathParam("id");
    return access.keys().delete(checkedId(id)).onSuccess(deleted -> {
      access.changed(id);
      if (!deleted) {
        notFound(rc, id);
        return;
      }
      LOG.info("admin deleted API key {}", id);
      json(rc, 200, JSON.createObjectNode().put("id", id).put("deleted", true));
    });
  }

  /** Runs {@code action} on the key named in the path, answering its result (404 when there is none). */
  private Future<?> withKey(RoutingContext rc, java.util.function.Function<ApiKey, Future<ApiKey>> action) {
    String id = checkedId(rc.pathParam("id"));
    return access.keys().get(id).compose(k -> k.isEmpty() ? Future.succeededFuture((ApiKey) null) : action.apply(k.get()))
        .onSuccess(k -> {
          if (k == null) {
            notFound(rc, id);
          } else {
            json(rc, 200, k.toPublic());
          }
        });
  }

  private Future<?> limits(RoutingContext rc, boolean set) {
    String tenant = pathId(rc, "tenant");
    String user = rc.pathParam("user") == null ? null : pathId(rc, "user");
    Future<LimitSet> f = set ? access.overrides().set(tenant, user, overrideLimits(body(rc))) : access.overrides().get(tenant, user);
    return f.onSuccess(l -> {
      if (set) LOG.info("admin set limits of tenant={} user={}: {}", tenant, user == null ? "-" : user, l);
      ObjectNode out = JSON.createObjectNode().put("tenant", tenant);
      if (user != null) out.put("user", user);
      out.set("limits", ApiKey.limitsJson(l));
      json(rc, 200, out);
    });
  }

  private Future<?> clearLimits(RoutingContext rc) {
    String tenant = pathId(rc, "tenant");
    String user = rc.pathParam("user") == null ? null : pathId(rc, "user");
    return access.overrides().clear(tenant, user).onSuccess(v -> {
      LOG.info("admin cleared limits of tenant={} user={}", tenant, user == null ? "-" : user);
      json(rc, 200, JSON.createObjectNode().put("tenant", tenant).put("cleared", true));
    });
  }

  // ------------------------------------------------------------------ input

  private static final class BadRequest extends RuntimeException {
    final String param;

    BadRequest(String message, String param) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  private static JsonNode body(RoutingContext rc) {
    Buffer b = rc.body() == null ? null : rc.body().buffer();
    if (b == null || b.length() == 0) return JSON.createObjectNode();
    try {
      JsonNode n = JSON.readTree(b.getBytes());
      if (n == null || !n.isObject()) throw new BadRequest("the body must be a JSON object", null);
      return n;
    } catch (java.io.IOException e) {
      throw new BadRequest("the body is not valid JSON", null);
    }
  }

  private static String text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new BadRequest(field + " must be a string", field);
    return v.textValue();
  }

  private static String id(JsonNode b, String field, boolean required) {
    String v = text(b, field);
    if (v == null || v.isBlank()) {
      if (required) throw new BadRequest(field + " is required", field);
      return null;
    }
    if (v.length() > MAX_ID) throw new BadRequest(field + " must be at most " + MAX_ID + " characters", field);
    return v.strip();
  }

  private static List<String> models(JsonNode b) {
    List<String> out = new ArrayList<>();
    JsonNode v = b.get("models");
    if (v == null || v.isNull()) return out;
    if (!v.isArray()) throw new BadRequest("models must be a list of model names (empty: all)", "models");
    for (JsonNode m : v) {
      if (!m.isTextual() || m.textValue().isBlank()) throw new BadRequest("models must be a list of model names", "models");
      out.add(m.textValue().strip());
    }
    return out;
  }

  /** A key's {@code limits} field. */
  private static LimitSet limits(JsonNode b) {
    return limitSet(b.get("limits"), true);
  }

  /** A whole body of limits (PUT /admin/limits/...). */
  private static LimitSet overrideLimits(JsonNode b) {
    return limitSet(b, false);
  }

  private static LimitSet limitSet(JsonNode l, boolean field) {
    if (l == null || l.isNull()) return LimitSet.NONE;
    if (!l.isObject()) throw new BadRequest((field ? "limits" : "the body") + " must be an object of limits", "limits");
    for (java.util.Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("requestsPerMinute", "tokensPerMinute", "concurrentRequests", "dollarsPerDay",
          "dollarsPerMonth").contains(f)) {
        throw new BadRequest("unknown limit '" + f + "' (known: requestsPerMinute, tokensPerMinute, concurrentRequests, "
            + "dollarsPerDay, dollarsPerMonth)", f);
      }
      JsonNode v = l.get(f);
      if (!v.isNull() && (!v.isNumber() || v.asDouble() < 0)) throw new BadRequest(f + " must be a number of at least 0", f);
    }
    return ApiKey.limitsOf(l);
  }

  private long expiry(JsonNode b, long fallback) {
    if (b.hasNonNull("expiresInSeconds")) {
      JsonNode v = b.get("expiresInSeconds");
      if (!v.canConvertToLong() || v.asLong() <= 0) throw new BadRequest("expiresInSeconds must be a positive integer", "expiresInSeconds");
      return now.getAsLong() + v.asLong() * 1000;
    }
    if (b.has("expiresAt") && b.get("expiresAt").isNull()) return 0;
    String at = text(b, "expiresAt");
    if (at == null) return fallback;
    try {
      return Instant.parse(at).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadRequest("expiresAt must be an ISO-8601 instant such as 2027-01-31T00:00:00Z", "expiresAt");
    }
  }

  private static String checkedId(String id) {
    if (!ApiKeyFormat.validId(id)) throw new BadRequest("'" + id + "' is not a key id (12 hex digits)", "id");
    return id;
  }

  private static String pathId(RoutingContext rc, String name) {
    String v = rc.pathParam(name);
    if (v == null || v.isBlank() || v.length() > MAX_ID) throw new BadRequest(name + " must be 1 to " + MAX_ID + " characters", name);
    return v;
  }

  private static void notFound(RoutingContext rc, String id) {
    HttpApi.sendError(rc, ApiError.notFound("key_not_found", "no API key with id '" + id + "'"));
  }

  private static void json(RoutingContext rc, int status, JsonNode body) {
    HttpApi.sendJson(rc.response(), status, Buffer.buffer(body.toString()));
  }

}
