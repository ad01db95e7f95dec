package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP connections all of a simulator's servers accepted, whatever they were then used for (API, control
 * API, unknown paths). Tests use it to tell a reused connection from a new one: a gateway whose warm pool
 * survives a config reload opens none.
 */
final class Connections {
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();

  /** The servers' connection handler: runs on the connection's event loop, before its first request. */
  void accept(HttpConnection connection) {
    accepted.incrementAndGet();
    open.incrementAndGet();
    connection.closeHandler(unused -> open.decrementAndGet());
  }

  /** Connections accepted since the simulator started. */
  long accepted() {
    return accepted.get();
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** {@code {"connections":N,"openConnections":M}}. */
  String toJson() {
    return "{\"connections\":" + accepted() + ",\"openConnections\":" + open() + "}";
  }
}
