package dev.ossaat.orchestrator.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real service (Redis) that a test can cut or make hang, so an outage can
 * be played without touching the service itself: {@link #pass()} relays bytes both ways,
 * {@link #cut()} closes every connection and refuses new ones, {@link #hang()} keeps connections open
 * and accepts new ones but relays nothing (a service that stopped answering).
 */
public final class TcpProxy implements AutoCloseable {
  public enum Mode {
    PASS, CUT, HANG
  }

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;

  private TcpProxy(Vertx vertx, String host, int port) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> {
      if (mode == Mode.CUT) {
        in.close();
        return;
      }
      sockets.add(in);
      in.pause();
      in.closeHandler(v -> sockets.remove(in));
      client.connect(port, host).onSuccess(out -> {
        sockets.add(out);
        out.closeHandler(v -> {
          sockets.remove(out);
          in.close();
        });
        in.closeHandler(v -> {
          sockets.remove(in);
          out.close();
        });
        in.handler(b -> {
          if (mode == Mode.PASS) out.write(b);
        });
        out.handler(b -> {
          if (mode == Mode.PASS) in.write(b);
        });
        in.resume();
      }).onFailure(t -> in.close());
    });
  }

  public static TcpProxy start(Vertx vertx, String host, int port) {
    TcpProxy p = new TcpProxy(vertx, host, port);
    TestGateway.await(p.server.listen(0, "127.0.0.1"));
    return p;
  }

  public int port() {
    return server.actualPort();
  }

  public void pass() {
    mode = Mode.PASS;
  }

  public void cut() {
    mode = Mode.CUT;
    sockets.forEach(NetSocket::close);
  }

  /** Bytes already on their way are dropped too: a command sent now never gets its reply. */
  public void hang() {
    mode = Mode.HANG;
  }

  @Override
  public void close() {
    cut();
    TestGateway.await(server.close());
    TestGateway.await(client.close());
  }
}
