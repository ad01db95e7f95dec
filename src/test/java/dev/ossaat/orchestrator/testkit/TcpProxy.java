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
 * and accepts new ones but stops reading from either side (a service that stopped answering; like TCP,
 * nothing is lost: the bytes flow again on {@link #pass()}).
 */
public final class TcpProxy implements AutoCloseable {
  public enum Mode {
    PASS, CUT, HANG
  }

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;

  private TcpProxy(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> {
      if (mode == Mode.CUT) {
        in.close();
        return;
      }
      in.pause();
      client.connect(port, host).onSuccess(out -> {
        sockets.add(in);
        sockets.add(out);
        out.closeHandler(v -> {
          sockets.remove(out);
          in.close();
        });
        in.closeHandler(v -> {
          sockets.remove(in);
          out.close();
        });
        in.handler(out::write);
        out.handler(in::write);
        if (mode == Mode.PASS) {
          in.resume();
        } else {
          out.pause();
        }
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
    onSockets(NetSocket::resume);
  }

  public void cut() {
    mode = Mode.CUT;
    onSockets(NetSocket::close);
  }

  public void hang() {
    mode = Mode.HANG;
    onSockets(NetSocket::pause);
  }

  /** Applies {@code action} to every socket and returns once it has been applied. */
  private void onSockets(java.util.function.Consumer<NetSocket> action) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> {
      sockets.forEach(action);
      done.complete();
    });
    TestGateway.await(done.future());
  }

  @Override
  public void close() {
    mode = Mode.CUT;
    sockets.forEach(NetSocket::close);
    TestGateway.await(server.close());
    TestGateway.await(client.close());
  }
}
