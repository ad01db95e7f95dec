package dev.ossaat.orchestrator.provider;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One provider's HTTP client pools, one per event loop, so that a request and its upstream connection
 * live on the same thread, as nginx keeps each worker's upstream connections in that worker.
 *
 * <p>Why: Vert.x's pool hands out its most recently used free connection whatever event loop owns it,
 * and a connection's I/O stays on the loop that opened it. A request that arrived on loop A and got a
 * connection of loop B then crosses threads for every event in both directions (strace counted 8
 * eventfd wake-ups per request, a few µs each, and the tail they cause). A pool per loop never crosses.
 *
 * <p>{@code connectionPool.maxConnections} stays the provider's total: each loop's pool gets an even
 * share (at least one). Calls from a thread that is not an event loop (none on the request path) use
 * the first pool.
 */
final class LoopLocalClients {
  private final HttpClientAgent[] clients;
  private final ConcurrentHashMap<Thread, HttpClientAgent> byLoop = new ConcurrentHashMap<>();
  private final AtomicInteger assigned = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Creates the pools now, where the provider is built (so they live as long as the provider, not as
   * long as whichever verticle happens to call first); a connection belongs to the loop of the request
   * that opened it, so each pool's connections end up on the loop it is assigned to.
   */
  LoopLocalClients(Vertx vertx, HttpClientOptions options, PoolOptions total) {
    int loops = eventLoops(vertx);
    PoolOptions perLoop = new PoolOptions(total)
        .setHttp1MaxSize(Math.max(1, ceilDiv(total.getHttp1MaxSize(), loops)))
        .setMaxWaitQueueSize(total.getMaxWaitQueueSize() < 0 ? -1 : Math.max(1, ceilDiv(total.getMaxWaitQueueSize(), loops)));
    clients = new HttpClientAgent[loops];
    for (int i = 0; i < loops; i++) clients[i] = vertx.createHttpClient(options, perLoop);
  }

  /** The pool of the calling event loop. */
  HttpClientAgent current() {
    if (closed) throw new IllegalStateException("closed");
    if (!Context.isOnEventLoopThread()) return clients[0];
    Thread loop = Thread.currentThread();
    HttpClientAgent client = byLoop.get(loop);
    if (client != null) return client;
    return byLoop.computeIfAbsent(loop, t -> clients[Math.floorMod(assigned.getAndIncrement(), clients.length)]);
  }

  /** Shuts every pool down; requests in flight may finish within {@code graceMillis}. */
  Future<Void> shutdown(long graceMillis) {
    closed = true;
    List<Future<Void>> all = new ArrayList<>();
    for (HttpClientAgent c : clients) all.add(c.shutdown(graceMillis, TimeUnit.MILLISECONDS));
    return Future.join(all).mapEmpty();
  }

  private static int eventLoops(Vertx vertx) {
    int n = 0;
    for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) n++;
    return Math.max(1, n);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
