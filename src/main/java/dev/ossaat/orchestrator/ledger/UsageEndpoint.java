package dev.ossaat.orchestrator.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.Secret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/usage}: totals from the ledger by tenant, user, model and day. Authentication is
 * the admin token ({@code admin.token}); {@code keyTenant} maps any other bearer token to the tenant
 * of the gateway API key it is (empty until keys exist), and {@link UsageAccess#decide} says what
 * that caller may see. Errors are in OpenAI's error shape.
 */
public final class UsageEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.ledger");

  private final Optional<Ledger> ledger;
  private final Supplier<Secret> adminToken;
  private final Function<String, io.vertx.core.Future<Optional<String>>> keyTenant;

  /**
   * @param ledger empty when {@code ledger.enabled} is false (then the endpoint says so)
   * @param adminToken the current admin token (it may be reloaded)
   * @param keyTenant the tenant of a valid gateway API key, given the bearer token (empty for anything
   *     else: unknown, disabled, expired); asynchronous, since the key may have to be read from Redis
   */
  public UsageEndpoint(Optional<Ledger> ledger, Supplier<Secret> adminToken,
      Function<String, io.vertx.core.Future<Optional<String>>> keyTenant) {
    this.ledger = ledger;
    this.adminToken = adminToken;
    this.keyTenant = keyTenant;
  }

  public void mount(Router router) {
    router.get("/v1/usage").handler(this::handle);
  }

  void handle(RoutingContext rc) {
    principal(rc.request().getHeader("authorization"))
        .onComplete(ar -> answer(rc, ar.succeeded() ? ar.result() : Optional.empty()));
  }

  private void answer(RoutingContext rc, Optional<UsageAccess.Principal> who) {
    if (rc.response().closed() || rc.response().ended()) return;
    HttpServerRequest req = rc.request();
    UsageAccess.Decision decision = UsageAccess.decide(who,
        Optional.ofNullable(req.getParam("tenant")).filter(t -> !t.isBlank()));
    if (!decision.allowed()) {
      error(rc, decision.status(), decision.status() == 401 ? "authentication_error" : "permission_error", decision.code(),
          decision.message());
      return;
    }
    if (ledger.isEmpty()) {
      error(rc, 404, "not_found_error", "ledger_disabled", "the usage ledger is not enabled (ledger.enabled: false)");
      return;
    }
    UsageQuery.Params params;
    try {
      params = UsageQuery.parse(req.getParam("from"), req.getParam("to"), null, req.getParam("user"), req.getParam("model"),
          req.getParam("group_by"), Instant.now());
      params = new UsageQuery.Params(params.from(), params.to(), decision.tenant(), params.user(), params.model(),
          params.groupBy());
    } catch (IllegalArgumentException e) {
      error(rc, 400, "invalid_request_error", "invalid_parameter", e.getMessage());
      return;
    }
    ledger.get().query().run(params).onComplete(ar -> {
      if (rc.response().closed() || rc.response().ended()) return;
      if (ar.failed()) {
        LOG.error("GET /v1/usage failed: {}", ar.cause().toString());
        error(rc, 503, "api_error", "ledger_unavailable", "the usage ledger's database cannot be read right now");
        return;
      }
      rc.response().setStatusCode(200).putHeader("content-type", "application/json").end(Buffer.buffer(ar.result().toString()));
    });
  }

  private io.vertx.core.Future<Optional<UsageAccess.Principal>> principal(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return io.vertx.core.Future.succeededFuture(Optional.empty());
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) return io.vertx.core.Future.succeededFuture(Optional.empty());
    Secret admin = adminToken.get();
    if (admin.isPresent() && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        admin.reveal().getBytes(StandardCharsets.UTF_8))) {
      return io.vertx.core.Future.succeededFuture(Optional.of(UsageAccess.Principal.ofAdmin()));
    }
    return keyTenant.apply(token).map(tenant ->
        Optional.of(tenant.map(UsageAccess.Principal::ofTenant).orElse(new UsageAccess.Principal(false, Optional.empty()))));
  }

  private static void error(RoutingContext rc, int status, String type, String code, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("error").put("message", message).put("type", type).put("code", code).putNull("param");
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(body.toString()));
  }
}
