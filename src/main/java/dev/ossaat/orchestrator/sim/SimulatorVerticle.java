package dev.ossaat.orchestrator.sim;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.IntConsumer;

/**
 * One HTTP server of the simulator. Deployed with several instances, each on its own event loop, all
 * listening on the same port: Vert.x then spreads the connections over them.
 */
final class SimulatorVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Handler<HttpServerRequest> handler;
  private final Connections connections;
  private final IntConsumer boundPort;

  /**
   * @param port the port to listen on; a negative one is Vert.x's "random port shared by every server
   *     listening with this same negative value"
   */
  SimulatorVerticle(String host, int port, Handler<HttpServerRequest> handler, Connections connections,
      IntConsumer boundPort) {
    this.host = host;
    this.port = port;
    this.handler = handler;
    this.connections = connections;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setTcpNoDelay(true) // stream chunks must leave as they are written, not when Nagle allows
        // HTTP/1.1 only: RESET and CUT_STREAM are defined on a connection, which h2c would multiplex.
        .setHttp2ClearTextEnabled(false);
    return vertx.createHttpServer(options)
        .connectionHandler(connections::accept)
        .requestHandler(handler)
        .listen(port, host)
        .onSuccess(server -> boundPort.accept(server.actualPort()));
  }
}
