package dev.ossaat.orchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One HTTP server on one event loop. The gateway deploys one instance per core, all sharing the port,
 * so every event loop serves requests (Vert.x balances connections across them). The router's
 * {@link ConnectionGuard} (shared by all instances) bounds connections and their clocks, and answers
 * requests the HTTP codec could not read.
 */
public final class ServerVerticle extends VerticleBase {
  private final Router router;
  private final int port;
  private HttpServer server;

  public ServerVerticle(Router router, int port) {
    this.router = router;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setPort(port)
        .setHost("0.0.0.0")
        .setTcpNoDelay(true) // SSE chunks must leave at once, not wait for Nagle
        .setCompressionSupported(false)
        .setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options).requestHandler(router);
    ConnectionGuard guard = router.getMetadata(ConnectionGuard.METADATA);
    if (guard != null) {
      server.connectionHandler(guard::connection)
          .invalidRequestHandler(guard::invalid)
          .exceptionHandler(guard::serverException);
    }
    return server.listen();
  }

  /** Closes the server; the gateway's {@link Drain} has already let requests in flight finish. */
  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
