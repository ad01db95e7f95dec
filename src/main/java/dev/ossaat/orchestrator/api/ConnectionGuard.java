package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.config.ServerConfig;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.timing.DeadlineTimer;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow or idle clients from holding connections (and file descriptors) forever:
 * <ul>
 *   <li>at most {@code server.maxConnections} open connections; beyond it a new one is closed at once;
 *   <li>a new connection must complete its first request's headers within {@code server.headerTimeout};
 *   <li>a request's body must arrive in full within {@code server.bodyTimeout} of its headers (else 408
 *       with {@code Connection: close} when an answer is still possible, else the connection is closed);
 *   <li>a connection with no request in progress is closed after {@code server.idleTimeout}. A request or
 *       SSE stream in progress is never cut by it, however quiet: its deadline and the provider's
 *       timeouts ({@code streamIdleTimeout}) bound it.
 * </ul>
 * Every connection closed this way is counted in {@code orchestrator_http_connections_refused_total}
 * by reason. Limits are read from the current config at each use, so a reload applies them to new
 * connections and requests. Each connection's state lives on its event loop; only the count is shared.
 */
final class ConnectionGuard {
  static final String METADATA = ConnectionGuard.class.getName();
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.http");

  private final Vertx vertx;
  private final Supplier<ServerConfig> config;
  private final GatewayMetrics metrics;
  private final Rejections rejections;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Conn> connections = new ConcurrentHashMap<>();

  ConnectionGuard(Vertx vertx, Supplier<ServerConfig> config, GatewayMetrics metrics, Rejections rejections) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.rejections = rejections;
    for (String reason : new String[] {"limit", "header_timeout", "body_timeout", "idle"}) {
      metrics.httpConnectionsRefused.labelValues(reason); // every series exists at zero
    }
    metrics.httpConnectionsOpen.set(0);
  }

  int open() {
    return open.get();
  }

  /** The server's connection handler: admits the connection or closes it at once. */
  void connection(HttpConnection connection) {
    ServerConfig limits = config.get();
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused("limit");
      connection.close();
      return;
    }
    metrics.httpConnectionsOpen.inc();
    Conn conn = new Conn(connection);
    connections.put(connection, conn);
    connection.exceptionHandler(conn::exception);
    connection.closeHandler(v -> {
      connections.remove(connection);
      open.decrementAndGet();
      metrics.httpConnectionsOpen.dec();
      conn.cancel();
    });
    conn.waitForRequest(limits.headerTimeout().toMillis(), "header_timeout");
  }

  /** The router's first handler: the request is in progress until its response ends; its body is timed. */
  void request(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Conn conn = connections.get(request.connection());
    if (conn != null) {
      conn.started();
      rc.addEndHandler(ar -> conn.finished());
    }
    if (!request.isEnded()) {
      long timer = vertx.setTimer(config.get().bodyTimeout().toMillis(), t -> bodyTimedOut(rc, conn));
      request.end().onComplete(ar -> vertx.cancelTimer(timer));
    }
  }

  private void bodyTimedOut(RoutingContext rc, Conn conn) {
    HttpServerRequest request = rc.request();
    HttpServerResponse response = rc.response();
    if (request.isEnded() || response.closed()) return;
    refused("body_timeout");
    if (conn != null) conn.closing();
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (!response.headWritten() && !response.ended()) {
      rejections.refused(rc, 408, "request body not complete within server.bodyTimeout");
      if (!http2) response.putHeader("connection", "close");
      HttpApi.sendError(rc, new ApiError(408, "invalid_request_error", "request_timeout",
          "the request body did not arrive within " + config.get().bodyTimeout().toMillis() + " ms", null))
          .onComplete(ar -> close(request, response, http2));
    } else {
      close(request, response, http2);
    }
  }

  private static void close(HttpServerRequest request, HttpServerResponse response, boolean http2) {
    if (http2) {
      response.reset(); // only this stream: the connection's other requests go on
    } else {
      request.connection().close();
    }
  }

  /**
   * The server's invalid-request handler: a request line or headers the codec could not read (400),
   * a URI over the line limit (414), headers over the size limit (431). Answered in the path's format
   * with a request id, logged and counted like the router's own refusals; the connection is closed.
   */
  void invalid(HttpServerRequest request) {
    Conn conn = connections.get(request.connection());
    if (conn != null) conn.closing();
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof PrematureChannelClosureException) {
      // The connection closed mid-headers (the client left, or a clock above closed it): no request
      // to answer or log, and any closing by us is already counted.
      LOG.debug("connection {} closed before its request headers were complete", request.connection().remoteAddress());
      return;
    }
    ApiError error;
    if (cause instanceof TooLongHttpLineException) {
      error = new ApiError(414, "invalid_request_error", "uri_too_long", "the request URI is too long", null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new ApiError(431, "invalid_request_error", "request_header_fields_too_large",
          "the request headers are too large", null);
    } else {
      error = new ApiError(400, "invalid_request_error", "malformed_request", "the HTTP request could not be parsed", null);
    }
    String path = pathOf(request);
    String id = RequestIds.of(request.headers().get(RequestIds.HEADER));
    rejections.invalid(id, path, error.status(), error.message());
    HttpServerResponse response = request.response();
    response.putHeader(RequestIds.HEADER, id).putHeader("connection", "close");
    HttpApi.sendError(path, response, id, error).onComplete(ar -> request.connection().close());
  }

  private static String pathOf(HttpServerRequest request) {
    try {
      String path = request.path();
      return path == null ? "/" : path;
    } catch (RuntimeException e) {
      return "/"; // an unparsable URI
    }
  }

  /** Exceptions not tied to a connection we saw (a reset during accept): nothing a client can be told. */
  void serverException(Throwable t) {
    LOG.debug("http server: {}", t.toString());
  }

  private void refused(String reason) {
    metrics.httpConnectionsRefused.labelValues(reason).inc();
  }

  /**
   * One connection's state, touched only on its event loop. Its wait for a request (header or idle
   * timeout) is a {@link DeadlineTimer} that a request does not cancel: a keep-alive connection costs no
   * timer operation per request, and a deadline that passes while a request is in progress is ignored
   * (the request's end starts the next wait).
   */
  private final class Conn {
    private final HttpConnection connection;
    private final DeadlineTimer wait;
    private String waitReason;
    private int active;
    private boolean closing;

    Conn(HttpConnection connection) {
      this.connection = connection;
      this.wait = new DeadlineTimer(vertx, due -> {
        if (active > 0 || closing) return;
        closing = true;
        refused(waitReason);
        connection.close();
      });
    }

    void waitForRequest(long millis, String reason) {
      waitReason = reason;
      wait.in(millis);
    }

    void started() {
      active++;
    }

    void finished() {
      active--;
      if (active == 0 && !closing) waitForRequest(config.get().idleTimeout().toMillis(), "idle");
    }

    void closing() {
      closing = true;
      cancel();
    }

    void cancel() {
      wait.stop();
    }

    /**
     * A client's protocol mistake or a reset (a broken chunked body, a peer gone mid-upload): the
     * request it belongs to writes its own line; this one stays out of the log unless debugging.
     */
    void exception(Throwable t) {
      LOG.debug("connection {}: {}", connection.remoteAddress(), t.toString());
    }
  }
}
