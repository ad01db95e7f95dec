package dev.ossaat.orchestrator.sim;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code orchestrator.jar simulate [--host H] [--port N] [--latency-ms N] [--chunks N] [--chunk-interval-ms N]}:
 * the simulator as a process of its own, for benchmarks. One event loop per processor and one server per
 * event loop, so the simulator keeps up with whatever load generator drives the gateway.
 */
public final class SimulatorCli {
  private static final String USAGE =
      "usage: simulate [--host 127.0.0.1] [--port 8089] [--latency-ms N] [--chunks N] [--chunk-interval-ms N]";

  private SimulatorCli() {}

  /**
   * Starts the simulator and blocks until the process is killed. Returns only on failure: 2 for bad
   * arguments, 1 when the simulator cannot start.
   */
  public static int run(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    int processors = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(processors));
    ProviderSimulator simulator;
    try {
      simulator = ProviderSimulator.start(vertx, options.host(), options.port(), options.profile()).await();
    } catch (Exception e) { // await() rethrows the listen failure as is, a BindException included
      System.err.println("simulate: cannot listen on " + options.host() + ":" + options.port() + ": " + e);
      closeQuietly(vertx);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx)));
    System.out.println("simulator listening on http://" + options.host() + ":" + simulator.port());
    System.out.flush();
    try {
      new CountDownLatch(1).await(); // nothing counts down: the process ends when it is killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      // The JVM is exiting anyway; open sockets die with it.
    }
  }

  /** The parsed command line. */
  record Options(String host, int port, SimProfile profile) {
    static Options parse(String[] args) {
      String host = "127.0.0.1";
      int port = 8089;
      SimProfile profile = SimProfile.defaults();
      for (int i = 0; i < args.length; i += 2) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + flag);
        }
        String value = args[i + 1];
        switch (flag) {
          case "--host" -> host = value;
          case "--port" -> port = number(flag, value, 0, 65_535);
          case "--latency-ms" -> profile = profile.withLatencyMs(number(flag, value, 0, Integer.MAX_VALUE));
          case "--chunks" -> profile = profile.withChunks(number(flag, value, 1, Integer.MAX_VALUE));
          case "--chunk-interval-ms" ->
              profile = profile.withChunkIntervalMs(number(flag, value, 0, Integer.MAX_VALUE));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      return new Options(host, port, profile);
    }

    private static int number(String flag, String value, int min, int max) {
      try {
        int number = Integer.parseInt(value);
        if (number >= min && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below, with the accepted range
      }
      throw new IllegalArgumentException(flag + " needs a whole number from " + min + " to " + max + ", got '"
          + value + "'");
    }
  }
}
