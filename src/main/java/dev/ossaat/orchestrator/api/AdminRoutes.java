package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.config.Secret;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.resilience.ProviderGuard;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator actions that replace "restart the pods": {@code POST /admin/providers/{name}/circuit-breaker/reset}
 * closes a provider's breaker, {@code .../open} opens it until reset (drains the provider on purpose).
 * Protected by the admin token ({@code admin.token}, {@code ORCHESTRATOR_ADMIN_TOKEN}, or the secret file
 * of that name) sent as {@code Authorization: Bearer <token>}: none sent is 401, a wrong one 403. Without
 * a configured token the admin API is off (403 for everyone).
 */
final class AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.admin");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiServices s;

  AdminRoutes(ApiServices services) {
    this.s = services;
  }

  void breaker(RoutingContext rc, boolean reset) {
    if (!authorized(rc)) return;
    String name = rc.pathParam("name");
    ProviderGuard guard = s.routing().get().providers().get(name).map(p -> s.guards().of(p.name())).orElse(null);
    if (guard == null) {
      HttpApi.sendError(rc, ApiError.notFound("provider_not_found", "no enabled, configured provider named '" + name + "'"));
      return;
    }
    String before = guard.breaker().state();
    if (reset) {
      guard.breaker().reset();
    } else {
      guard.breaker().forceOpen();
    }
    LOG.info("admin {} circuit breaker of {} (was {})", reset ? "reset" : "opened", name, before);
    HttpApi.sendJson(rc.response(), 200, io.vertx.core.buffer.Buffer.buffer(JSON.createObjectNode()
        .put("provider", name).put("previousState", before).put("state", guard.breaker().state()).toString()));
  }

  boolean authorized(RoutingContext rc) {
    Secret token = s.routing().get().config().admin().token();
    String header = rc.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      HttpApi.sendError(rc, new ApiError(401, "authentication_error", "missing_admin_token",
          "admin endpoints need 'Authorization: Bearer <admin token>'", null));
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = token.isPresent() && MessageDigest.isEqual(given, token.reveal().getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      HttpApi.sendError(rc, new ApiError(403, "permission_error", "invalid_admin_token",
          token.isPresent() ? "the admin token is not valid" : "the admin API is disabled: no admin token is configured", null));
    }
    return ok;
  }
}
