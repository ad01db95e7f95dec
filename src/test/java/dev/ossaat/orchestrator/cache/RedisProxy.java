package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP hop in front of the machine's Redis that a test can break without touching Redis itself
 * (others use it): {@link #hang} drops every connection and accepts new ones that never answer, as a
 * Redis that is down behind a load balancer, or stuck, looks to a client; {@link #heal} forwards again.
 */
final class RedisProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final NetClient client = vertx.createNetClient();
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean hanging;

  RedisProxy() {
    server = vertx.createNetServer().connectHandler(this::accept);
    TestGateway.await(server.listen(0, "127.0.0.1"));
  }

  String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  private void accept(NetSocket in) {
    sockets.add(in);
    if (hanging) return; // read nothing, answer nothing
    in.pause();
    client.connect(6379, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      sockets.add(out);
      in.handler(b -> {
        if (!hanging) out.write(b);
      });
      out.handler(b -> {
        if (!hanging) in.write(b);
      });
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    });
  }

  /** Redis stops answering: open connections go silent, new ones are accepted and ignored. */
  void hang() {
    hanging = true;
  }

  void heal() {
    hanging = false;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }
}
