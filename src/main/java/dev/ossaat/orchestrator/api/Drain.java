package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.exchange.ApiError;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graceful shutdown of the HTTP side. Once {@link #begin} is called, readiness fails (so Kubernetes
 * stops routing here), new API requests are answered 503 with {@code Connection: close}, and requests
 * and streams already in flight run to completion; {@link #begin}'s future completes when none is left
 * or the drain timeout passes. Counting here rather than relying on the server's own shutdown, which
 * closes HTTP/1.1 connections with a chunked response still in progress.
 */
public final class Drain {
  private final Vertx vertx;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  private volatile Promise<Void> drained;

  public Drain(Vertx vertx) {
    this.vertx = vertx;
  }

  public boolean draining() {
    return draining;
  }

  void track(RoutingContext rc) {
    // Count first, then look: a request racing with begin() is either refused or waited for, never cut.
    inFlight.incrementAndGet();
    if (draining && rc.request().path().startsWith("/v1/")) {
      finished();
      // HTTP/1.1 clients are told to reconnect (elsewhere); HTTP/2 forbids the header (its streams end anyway).
      if (rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) rc.response().putHeader("connection", "close");
      rc.response().putHeader("retry-after", "1");
      HttpApi.sendError(rc, new ApiError(503, "service_unavailable", "shutting_down",
          "this orchestrator instance is shutting down; retry on another", null));
      return;
    }
    rc.addEndHandler(v -> finished());
    rc.next();
  }

  private void finished() {
    if (inFlight.decrementAndGet() == 0 && draining && drained != null) drained.tryComplete();
  }

  /** Starts draining; completes when nothing is in flight, or after {@code timeoutMillis}. */
  public io.vertx.core.Future<Void> begin(long timeoutMillis) {
    Promise<Void> promise = Promise.promise();
    drained = promise;
    draining = true;
    if (inFlight.get() == 0) promise.tryComplete();
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), t -> promise.tryComplete());
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  public int inFlight() {
    return inFlight.get();
  }
}
