package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.health.HealthEndpoints;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.telemetry.MetricsEndpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface on port 3000: the OpenAI-compatible API plus the operators' endpoints. */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.http");
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpApi() {}

  /**
   * @param drain counts requests in flight and, once shutdown has begun, turns new API requests away
   */
  public static Router router(ApiServices s, HealthEndpoints health, MetricsEndpoint metrics, Drain drain) {
    Router router = Router.router(s.vertx());
    router.route().handler(drain::track);
    CompletionRoutes completions = new CompletionRoutes(s);
    ModelList models = new ModelList();
    int limit = s.startup().server().maxBodyBytes();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);

    router.route("/v1/*").handler(rc -> count(s, rc));
    router.post("/v1/chat/completions").handler(body).handler(completions::chat);
    router.post("/v1/embeddings").handler(body).handler(completions::embeddings);
    router.get("/v1/models").handler(rc -> CompletionRoutes.sendJson(rc.response(), 200, models.of(s.routing().get())));
    router.get("/metrics").handler(metrics::handle);
    router.get("/healthz").handler(health::live);
    router.get("/readyz").handler(health::ready);
    router.get("/health/providers").handler(health::providers);
    AdminRoutes admin = new AdminRoutes(s);
    router.post("/admin/providers/:name/circuit-breaker/reset").handler(rc -> admin.breaker(rc, true));
    router.post("/admin/providers/:name/circuit-breaker/open").handler(rc -> admin.breaker(rc, false));

    router.errorHandler(413, rc -> sendError(rc, ApiError.tooLarge(limit)));
    router.errorHandler(404, rc -> sendError(rc, ApiError.notFound("unknown_url",
        "Unknown request URL: " + rc.request().method() + " " + rc.request().path())));
    router.errorHandler(405, rc -> sendError(rc, new ApiError(405, "invalid_request_error", "method_not_allowed",
        "Method " + rc.request().method() + " is not allowed on " + rc.request().path(), null)));
    router.errorHandler(500, rc -> {
      // A bug of ours: the client gets a plain message, the log gets the detail, never the reverse.
      LOG.error("internal error on {} {}: {}", rc.request().method(), rc.request().path(),
          rc.failure() == null ? "unknown" : rc.failure().toString());
      sendError(rc, new ApiError(500, "server_error", "internal_error", "internal error in orchestrator", null));
    });
    return router;
  }

  static void sendError(RoutingContext rc, ApiError error) {
    if (rc.response().ended() || rc.response().closed()) return;
    rc.response().setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error.toBuffer());
  }

  /** Counts answered API requests by route and status code when their headers go out (413s included). */
  private static void count(ApiServices s, RoutingContext rc) {
    String route = switch (rc.request().path()) {
      case "/v1/chat/completions" -> "chat_completions";
      case "/v1/embeddings" -> "embeddings";
      case "/v1/models" -> "models";
      default -> "other"; // a fixed set: paths are client input
    };
    rc.addHeadersEndHandler(v -> s.metrics().httpRequest(route, rc.response().getStatusCode()).inc());
    rc.next();
  }

  /** {@code /v1/models}: what the routable providers serve, rendered once per config snapshot. */
  private static final class ModelList {
    private record Rendered(RoutingSnapshot snapshot, Buffer body) {}

    private volatile Rendered last = new Rendered(null, null);

    Buffer of(RoutingSnapshot snapshot) {
      Rendered r = last;
      if (r.snapshot() != snapshot) {
        r = new Rendered(snapshot, render(snapshot));
        last = r;
      }
      return r.body();
    }

    private static Buffer render(RoutingSnapshot snapshot) {
      ObjectNode root = JSON.createObjectNode().put("object", "list");
      ArrayNode data = root.putArray("data");
      Set<String> seen = new LinkedHashSet<>();
      for (ProviderConfig p : snapshot.config().routableProviders()) {
        for (String model : p.models()) {
          if (!seen.add(model)) continue;
          data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", p.name());
        }
      }
      return Buffer.buffer(root.toString());
    }
  }
}
