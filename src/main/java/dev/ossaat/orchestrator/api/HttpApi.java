package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.translate.Codecs;
import dev.ossaat.orchestrator.health.HealthEndpoints;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.telemetry.MetricsEndpoint;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
    Rejections rejections = new Rejections(s.metrics());
    ConnectionGuard guard = new ConnectionGuard(s.vertx(), () -> s.routing().get().config().server(), s.metrics(), rejections);
    // The server verticles install the guard's connection and invalid-request handlers (see ServerVerticle).
    router.putMetadata(ConnectionGuard.METADATA, guard);
    router.route().handler(rc -> begin(rc, guard));
    router.route().handler(drain::track);
    ApiRoutes api = new ApiRoutes(s);
    ModelList models = new ModelList();
    int limit = s.startup().server().maxBodyBytes();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);

    router.route("/v1/*").handler(rc -> {
      rejections.countWhenAnswered(rc);
      rc.next();
    });
    router.post("/v1/chat/completions").handler(body).handler(rc -> api.handle(rc, Ingress.CHAT_COMPLETIONS));
    router.post("/v1/embeddings").handler(body).handler(rc -> api.handle(rc, Ingress.EMBEDDINGS));
    router.post("/v1/messages").handler(body).handler(rc -> api.handle(rc, Ingress.MESSAGES));
    router.post("/v1/messages/count_tokens").handler(body).handler(rc -> api.handle(rc, Ingress.COUNT_TOKENS));
    KeyGate keys = new KeyGate(s);
    router.get("/v1/models").handler(rc -> keys.guard(rc, () -> sendJson(rc.response(), 200, models.of(s.routing().get(), rc.request()))));
    router.post("/v1/responses").handler(body).handler(rc -> api.handle(rc, Ingress.RESPONSES));
    router.get("/v1/responses/:id").handler(rc -> api.handle(rc, Ingress.RESPONSE_GET));
    router.delete("/v1/responses/:id").handler(rc -> api.handle(rc, Ingress.RESPONSE_DELETE));
    router.get("/metrics").handler(metrics::handle);
    // Load balancers probe with HEAD: the same answer without a body.
    router.route("/healthz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(health::live);
    router.route("/readyz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(health::ready);
    router.get("/health/providers").handler(health::providers);
    AdminRoutes admin = new AdminRoutes(s);
    router.post("/admin/providers/:name/circuit-breaker/reset").handler(rc -> admin.breaker(rc, true));
    router.post("/admin/providers/:name/circuit-breaker/open").handler(rc -> admin.breaker(rc, false));
    new KeyAdminRoutes(admin, s.access()).register(router);

    router.errorHandler(413, rc -> refuse(rc, rejections, ApiError.tooLarge(limit)));
    router.errorHandler(404, rc -> refuse(rc, rejections, ApiError.notFound("unknown_url",
        "Unknown request URL: " + rc.request().method() + " " + rc.request().path())));
    router.errorHandler(405, rc -> refuse(rc, rejections, new ApiError(405, "invalid_request_error", "method_not_allowed",
        "Method " + rc.request().method() + " is not allowed on " + rc.request().path(), null)));
    // While a body is still arriving, a failure is the transport's, not ours: the body handler fails
    // with 400 (Vert.x 4) or with the codec's own exception (a broken chunked encoding), and with
    // HttpClosedException when the client leaves mid-upload.
    router.errorHandler(400, rc -> bodyFailed(rc, rejections));
    router.errorHandler(200, rc -> bodyFailed(rc, rejections));
    router.errorHandler(500, rc -> {
      if (!rc.request().isEnded() || rc.failure() instanceof HttpClosedException) {
        bodyFailed(rc, rejections);
      } else {
        internalError(rc);
      }
    });
    return router;
  }

  /** Every request: its id (the client's when sane) on every answer, its start, its connection's clocks. */
  private static void begin(RoutingContext rc, ConnectionGuard guard) {
    rc.put(Rejections.START, System.nanoTime());
    rc.response().putHeader(RequestIds.HEADER, RequestIds.of(rc));
    guard.request(rc);
    rc.next();
  }

  private static void refuse(RoutingContext rc, Rejections rejections, ApiError error) {
    rejections.refused(rc, error.status(), error.message());
    sendError(rc, error);
  }

  /**
   * The request's body could not be read: the client left (one INFO line, nothing to answer), or the
   * HTTP codec could not decode it (the client's mistake: one line, 400 if it can still be told).
   */
  private static void bodyFailed(RoutingContext rc, Rejections rejections) {
    if (rc.failure() instanceof HttpClosedException || rc.response().closed()) {
      rejections.clientLeft(rc, "the client closed the connection before its request had arrived");
      return;
    }
    Throwable cause = rc.failure();
    String detail = cause == null || cause.getMessage() == null ? "unreadable request body" : cause.getMessage();
    ApiError error = new ApiError(400, "invalid_request_error", "malformed_body", "the request body could not be read: "
        + detail, null);
    rejections.refused(rc, 400, error.message());
    // The connection cannot carry another request after a broken body.
    if (rc.request().version() != HttpVersion.HTTP_2) rc.response().putHeader("connection", "close");
    sendError(rc, error);
  }

  private static void internalError(RoutingContext rc) {
    // A bug of ours: the client gets a plain message, the log gets the detail, never the reverse.
    LOG.error("internal error on {} {}: {}", rc.request().method(), rc.request().path(),
        rc.failure() == null ? "unknown" : rc.failure().toString());
    sendError(rc, new ApiError(500, "server_error", "internal_error", "internal error in orchestrator", null));
  }

  /** An error the HTTP layer raises itself, in the format of the API the path belongs to. */
  static Future<Void> sendError(RoutingContext rc, ApiError error) {
    if (rc.response().ended() || rc.response().closed()) return Future.succeededFuture();
    return sendError(rc.request().path(), rc.response(), RequestIds.of(rc), error);
  }

  static Future<Void> sendError(String path, HttpServerResponse response, String requestId, ApiError error) {
    if (response.ended() || response.closed()) return Future.succeededFuture();
    boolean anthropic = path.startsWith("/v1/messages");
    ChatCodec codec = Codecs.of(anthropic ? WireFormat.ANTHROPIC : WireFormat.OPENAI);
    // Anthropic's SDKs report the request-id header with every error.
    if (anthropic) response.putHeader("request-id", requestId);
    return sendJson(response, error.status(), codec.encodeError(error));
  }

  static Future<Void> sendJson(HttpServerResponse response, int status, Buffer body) {
    return response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body)
        .recover(t -> Future.succeededFuture()); // a client gone mid-write: nothing more to do
  }

  /** The {@code route} label of a path: a fixed set, since paths are client input. */
  static String route(String path) {
    return switch (path == null ? "" : path) {
      case "/v1/chat/completions" -> "chat_completions";
      case "/v1/embeddings" -> "embeddings";
      case "/v1/messages" -> "messages";
      case "/v1/messages/count_tokens" -> "count_tokens";
      case "/v1/models" -> "models";
      case "/v1/responses" -> "responses";
      default -> path != null && path.startsWith("/v1/responses/") ? "responses" : "other";
    };
  }

  /**
   * {@code /v1/models}: what the routable providers serve, rendered once per config snapshot, in
   * OpenAI's list shape, or Anthropic's when the client sends {@code anthropic-version} (as Anthropic's
   * SDKs do).
   */
  private static final class ModelList {
    private record Rendered(RoutingSnapshot snapshot, Buffer openai, Buffer anthropic) {}

    private volatile Rendered last = new Rendered(null, null, null);

    Buffer of(RoutingSnapshot snapshot, HttpServerRequest request) {
      Rendered r = last;
      if (r.snapshot() != snapshot) {
        r = new Rendered(snapshot, render(snapshot, false), render(snapshot, true));
        last = r;
      }
      return request.getHeader("anthropic-version") != null ? r.anthropic() : r.openai();
    }

    private static Buffer render(RoutingSnapshot snapshot, boolean anthropic) {
      ObjectNode root = JSON.createObjectNode();
      if (!anthropic) root.put("object", "list");
      ArrayNode data = root.putArray("data");
      Set<String> seen = new LinkedHashSet<>();
      for (ProviderConfig p : snapshot.config().routableProviders()) {
        for (String model : p.models()) {
          if (!seen.add(model)) continue;
          if (anthropic) {
            data.addObject().put("type", "model").put("id", model).put("display_name", model)
                .put("created_at", "1970-01-01T00:00:00Z");
          } else {
            data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", p.name());
          }
        }
      }
      if (anthropic) {
        root.put("has_more", false);
        if (data.isEmpty()) {
          root.putNull("first_id").putNull("last_id");
        } else {
          root.put("first_id", data.get(0).get("id").textValue()).put("last_id", data.get(data.size() - 1).get("id").textValue());
        }
      }
      return Buffer.buffer(root.toString());
    }
  }
}
