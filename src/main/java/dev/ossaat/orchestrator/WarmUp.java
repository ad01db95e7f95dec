package dev.ossaat.orchestrator;

import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.WarmUpConfig;
import dev.ossaat.orchestrator.sim.ProviderSimulator;
import dev.ossaat.orchestrator.sim.SimProfile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code server.warmUp}: before a new process says ready, it sends real HTTP traffic through a
 * throwaway gateway in the same JVM (same classes, so the JIT's work carries over) in front of a
 * built-in simulator: OpenAI chat completions and Anthropic Messages, whole and streamed, the shapes
 * the hot path serves. The throwaway has its own metrics registry, no request log, cache, limits or
 * ledger, and is closed afterwards: the real gateway's metrics, logs and usage never see warm-up traffic.
 *
 * <p>Why: a cold JVM serves its first tens of seconds of load at a fraction of its speed while C2
 * compiles the hot path; a pod that joins the Service then answers slowly and, under a rollout's full
 * share of traffic, sheds or times out. Class-data sharing (deploy/Dockerfile) shortens the start;
 * this shortens the time from ready to full speed (docs/PERFORMANCE.md).
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator");
  private static final String SCENARIO = "warmup";
  private static final String CHAT = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"Warm up\"}]";
  private static final String MESSAGES =
      "{\"model\":\"sim-claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Warm up\"}]";
  /** The request shapes, in turn: path, body, extra header. */
  private static final String[][] SHAPES = {
      {"/v1/chat/completions", CHAT + "}"},
      {"/v1/chat/completions", CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"},
      {"/v1/messages", MESSAGES + "}"},
      {"/v1/messages", MESSAGES + ",\"stream\":true}"},
  };

  private WarmUp() {}

  /** Runs the warm-up to its end (blocking this thread, which must not be an event loop); never throws. */
  static void run(Vertx vertx, WarmUpConfig config) {
    long started = System.nanoTime();
    ProviderSimulator sim = null;
    Orchestrator gateway = null;
    HttpClientAgent client = null;
    try {
      sim = await(ProviderSimulator.start(vertx, "127.0.0.1", 0, SimProfile.defaults().withChunks(20)));
      gateway = await(Orchestrator.startUnannounced(vertx, config(sim)));
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(config.concurrency()));
      Stats stats = new Stats();
      long until = started + config.duration().toNanos();
      Promise<Void> done = Promise.promise();
      AtomicLong running = new AtomicLong(config.concurrency());
      for (int i = 0; i < config.concurrency(); i++) {
        loop(client, gateway.port(), i, until, stats, () -> {
          if (running.decrementAndGet() == 0) done.tryComplete();
        });
      }
      await(done.future());
      LOG.info("warm-up done: {} requests ({} failed) in {} ms; ready", stats.sent.get(), stats.failed.get(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (Exception e) {
      // Never a reason not to serve: the gateway is merely slower for its first seconds.
      LOG.warn("warm-up stopped early after {} ms: {}; ready anyway",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), e.getMessage());
    } finally {
      if (client != null) quietly(client.close());
      if (gateway != null) quietly(gateway.close());
      if (sim != null) quietly(sim.close());
    }
  }

  private static final class Stats {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
  }

  /** One client's requests, back to back, rotating through the shapes, until the warm-up's end. */
  private static void loop(HttpClientAgent client, int port, int turn, long until, Stats stats, Runnable finished) {
    if (System.nanoTime() >= until) {
      finished.run();
      return;
    }
    String[] shape = SHAPES[turn % SHAPES.length];
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(shape[0]).putHeader("content-type", "application/json").putHeader("x-api-key", "warm-up")
        .putHeader("anthropic-version", "2023-06-01");
    client.request(options)
        .compose(request -> request.send(Buffer.buffer(shape[1])))
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(ar -> {
          stats.sent.incrementAndGet();
          if (ar.failed() || ar.result() != 200) stats.failed.incrementAndGet();
          loop(client, port, turn + 1, until, stats, finished);
        });
  }

  private static OrchestratorConfig config(ProviderSimulator sim) {
    String base = sim.baseUrl(SCENARIO);
    String yaml = String.join("\n",
        "server:",
        "  port: 0",
        "providers:",
        "  warmup-openai:",
        "    baseUrl: " + base,
        "    apiKeyRequired: false",
        "    model: sim-small",
        "  warmup-anthropic:",
        "    type: anthropic",
        "    baseUrl: " + base,
        "    apiKeyRequired: false",
        "    model: sim-claude",
        "cache:",
        "  enabled: false",
        "logging:",
        "  requestLog: false",
        "health:",
        "  probes:",
        "    enabled: false",
        "");
    return new ConfigLoader(Map.of()).parseText(yaml, "warm-up");
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private static void quietly(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing a throwaway: nothing to do about it
    }
  }
}
