package dev.ossaat.orchestrator;

import dev.ossaat.orchestrator.config.ConfigException;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.sim.SimulatorCli;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar orchestrator.jar} serves the gateway; {@code java -jar orchestrator.jar simulate
 * --port 8089} runs the provider simulator alone.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator");

  private Main() {}

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("simulate")) {
      int code = SimulatorCli.run(Arrays.copyOfRange(args, 1, args.length));
      if (code != 0) System.exit(code);
      return;
    }
    if (args.length > 0) {
      System.err.println("usage: java -jar orchestrator.jar            serve the gateway (config: ORCHESTRATOR_CONFIG)");
      System.err.println("       java -jar orchestrator.jar simulate [--port 8089]   run the provider simulator");
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    ConfigLoader.LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(env).load();
    } catch (ConfigException e) {
      System.err.println("orchestrator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true)); // epoll on Linux; NIO where the native library is absent
    OrchestratorConfig config = loaded.config();
    boolean demo = DemoMode.applies(loaded.embeddedDefaults(), config, env);
    try {
      if (demo) {
        int simPort = Integer.parseInt(env.getOrDefault("SIM_PORT", "8089"));
        config = await(DemoMode.start(vertx, config, simPort));
        LOG.info("demo mode: no provider credential is set, serving simulated providers {} and {} on port {}; "
            + "make one fail with: curl -X PUT localhost:{}/_sim/scenarios/primary -d " + "'{\"fault\":\"error\"}'",
            DemoMode.PRIMARY, DemoMode.SECONDARY, simPort, simPort);
      }
      // Started from this thread, not from a future's callback: start-up does blocking work (the
      // tokenizer tables) that must not run on an event loop.
      Orchestrator orchestrator = await(Orchestrator.start(vertx, config));
      if (!demo) orchestrator.watchConfig(() -> new ConfigLoader(env).load().config());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          orchestrator.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // exiting anyway
        }
      }, "orchestrator-shutdown"));
      orchestrator.warmUp(); // server.warmUp: /readyz says ready only after it (this thread waits)
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof ConfigException ? "invalid configuration: " + cause.getMessage()
          : "cannot start: " + cause.getMessage();
      System.err.println("orchestrator: " + message);
      vertx.close();
      System.exit(cause instanceof ConfigException ? 2 : 1);
    }
  }
}
