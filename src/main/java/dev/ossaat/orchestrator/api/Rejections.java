package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.telemetry.RequestLog;
import dev.ossaat.orchestrator.telemetry.RequestRecord;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Requests the HTTP layer turns away before any pipeline sees them (unknown URL, wrong method, body
 * too large or malformed, URI or headers too long, a body that never arrives, a client that leaves
 * mid-upload): each writes the one request log line the pipeline writes for the requests it handles
 * (provider {@code none}, the route as operation) and is counted in
 * {@code orchestrator_http_requests_total} like the API requests are, once.
 */
final class Rejections {
  /** Set on a context whose answer is counted in orchestrator_http_requests_total when its headers go out. */
  static final String COUNTED = "orchestrator.counted";
  static final String START = "orchestrator.start-nanos";
  private static final String LOGGED = "orchestrator.rejection-logged";

  private final GatewayMetrics metrics;

  Rejections(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  /** Counts the context's answer, by route and status, when its headers go out (once per context). */
  void countWhenAnswered(RoutingContext rc) {
    if (rc.get(COUNTED) != null) return;
    rc.put(COUNTED, Boolean.TRUE);
    String route = HttpApi.route(rc.request().path());
    rc.addHeadersEndHandler(v -> metrics.httpRequest(route, rc.response().getStatusCode()).inc());
  }

  /** A request the router refuses itself: one line, counted when the refusal is sent. Call before sending. */
  void refused(RoutingContext rc, int status, String message) {
    if (!firstTime(rc)) return;
    countWhenAnswered(rc);
    log(RequestIds.of(rc), HttpApi.route(rc.request().path()), "error", null, status, startNanos(rc), message);
  }

  /** The client left before its request had arrived: nothing to answer, one (INFO) line. */
  void clientLeft(RoutingContext rc, String message) {
    if (!firstTime(rc)) return;
    log(RequestIds.of(rc), HttpApi.route(rc.request().path()), "cancelled", ErrorType.CANCELLED, 499, startNanos(rc),
        message);
  }

  /** A request the HTTP codec could not read (bad request line or headers, URI or headers too long). */
  void invalid(String requestId, String path, int status, String message) {
    String route = HttpApi.route(path);
    metrics.httpRequest(route, status).inc();
    log(requestId, route, "error", null, status, System.nanoTime(), message);
  }

  private static boolean firstTime(RoutingContext rc) {
    if (rc.get(LOGGED) != null) return false;
    rc.put(LOGGED, Boolean.TRUE);
    return true;
  }

  private static long startNanos(RoutingContext rc) {
    Long start = rc.get(START);
    return start == null ? System.nanoTime() : start;
  }

  private void log(String requestId, String route, String status, ErrorType type, int httpStatus, long startNanos,
      String message) {
    if (!metrics.requestLog()) return;
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    RequestLog.request(new RequestRecord(requestId, route, "none", "-", Caller.ANONYMOUS, status, type, httpStatus,
        Usage.NONE, Optional.of(0.0), latencyMs, false, 0, false, message));
  }
}
