package dev.ossaat.orchestrator.testkit;

import dev.ossaat.orchestrator.Orchestrator;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.sim.ProviderSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real gateway on a free port in front of a real provider simulator, driven over real HTTP.
 * The config is YAML in which {@code ${SIM:<scenario>}} stands for the simulator's base URL of that
 * scenario.
 */
public final class TestGateway implements AutoCloseable {
  public final Vertx vertx;
  public final ProviderSimulator sim;
  public final Orchestrator gateway;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(Vertx vertx, ProviderSimulator sim, Orchestrator gateway) {
    this.vertx = vertx;
    this.sim = sim;
    this.gateway = gateway;
  }

  public static TestGateway start(String yaml) {
    return start(yaml, Map.of());
  }

  public static TestGateway start(String yaml, Map<String, String> env) {
    return start(yaml, env, null);
  }

  /**
   * A gateway whose time-based policies (breakers, admission waits, deadlines, health windows) run on
   * {@code clock}, e.g. a {@link ManualClock} that a test advances instead of sleeping.
   */
  public static TestGateway start(String yaml, dev.ossaat.orchestrator.resilience.Clock clock) {
    return start(yaml, Map.of(), clock);
  }

  private static TestGateway start(String yaml, Map<String, String> env, dev.ossaat.orchestrator.resilience.Clock clock) {
    Vertx vertx = Vertx.vertx();
    try {
      ProviderSimulator sim = await(ProviderSimulator.start(vertx, "127.0.0.1", 0));
      OrchestratorConfig config = config(yaml, env, sim::baseUrl).withPort(0);
      Orchestrator gateway = await(clock == null ? Orchestrator.start(vertx, config) : Orchestrator.start(vertx, config, clock));
      return new TestGateway(vertx, sim, gateway);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * A gateway whose config lives in a file that it watches (as in production), so a test can change
   * the file (see {@link #rewrite}) or the secret files beside it and watch the change apply.
   */
  public static TestGateway startWatching(String yaml, Map<String, String> env, java.nio.file.Path file) {
    Vertx vertx = Vertx.vertx();
    try {
      ProviderSimulator sim = await(ProviderSimulator.start(vertx, "127.0.0.1", 0));
      Map<String, String> fullEnv = new HashMap<>(env);
      fullEnv.putIfAbsent("ORCHESTRATOR_SECRETS_DIR", "/nonexistent-test-secrets");
      java.nio.file.Files.writeString(file, resolve(yaml, sim::baseUrl));
      ConfigLoader loader = new ConfigLoader(fullEnv);
      Orchestrator gateway = await(Orchestrator.start(vertx, loader.loadFile(file).withPort(0)));
      gateway.watchConfig(() -> loader.loadFile(file));
      TestGateway gw = new TestGateway(vertx, sim, gateway);
      gw.configFile = file;
      return gw;
    } catch (java.io.IOException | RuntimeException e) {
      vertx.close();
      throw new IllegalStateException(e);
    }
  }

  private java.nio.file.Path configFile;

  /** Replaces the watched config file's content. */
  public void rewrite(String yaml) {
    try {
      java.nio.file.Path tmp = configFile.resolveSibling(configFile.getFileName() + ".tmp");
      java.nio.file.Files.writeString(tmp, resolve(yaml, sim::baseUrl));
      java.nio.file.Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resolve(String yaml, Function<String, String> simUrl) {
    return java.util.regex.Pattern.compile("\\$\\{SIM:([A-Za-z0-9_-]+)}").matcher(yaml).replaceAll(m -> simUrl.apply(m.group(1)));
  }

  /** Parses a test config, resolving {@code ${SIM:<scenario>}} placeholders. */
  public static OrchestratorConfig config(String yaml, Map<String, String> env, Function<String, String> simUrl) {
    String resolved = resolve(yaml, simUrl);
    Map<String, String> fullEnv = new HashMap<>(env);
    fullEnv.putIfAbsent("ORCHESTRATOR_SECRETS_DIR", "/nonexistent-test-secrets");
    return new ConfigLoader(fullEnv).parseText(resolved, "test");
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  public HttpResponse<String> post(String path, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A minimal chat request body. */
  public static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  public static String streamingChat(String model, boolean includeUsage) {
    return "{\"model\":\"" + model + "\",\"stream\":true" + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /** Sets a simulator scenario's profile through its control API, as the demo's curl does. */
  public void simulate(String scenario, String profileJson) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(simUri("/_sim/scenarios/" + scenario))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(profileJson)).build());
    if (r.statusCode() != 200) throw new IllegalStateException("simulator refused profile: " + r.body());
  }

  /** A scenario's stats: requests, chatRequests, streamRequests, faultsInjected, clientClosedEarly, ... */
  public com.fasterxml.jackson.databind.JsonNode simStats(String scenario) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(simUri("/_sim/scenarios/" + scenario)).GET().build());
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("stats");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI simUri(String path) {
    return URI.create("http://127.0.0.1:" + sim.port() + path);
  }

  public Metrics metrics() {
    return Metrics.parse(get("/metrics").body());
  }

  @Override
  public void close() {
    try {
      await(gateway.close());
    } finally {
      await(vertx.close());
    }
  }
}
