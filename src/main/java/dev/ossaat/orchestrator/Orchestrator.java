package dev.ossaat.orchestrator;

import dev.ossaat.orchestrator.api.ApiServices;
import dev.ossaat.orchestrator.api.HttpApi;
import dev.ossaat.orchestrator.api.ServerVerticle;
import dev.ossaat.orchestrator.cache.ResponseCache;
import dev.ossaat.orchestrator.config.CacheConfig;
import dev.ossaat.orchestrator.config.ConfigException;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.health.HealthEndpoints;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.provider.ProviderRegistry;
import dev.ossaat.orchestrator.routing.AttemptRecorder;
import dev.ossaat.orchestrator.routing.Dispatcher;
import dev.ossaat.orchestrator.routing.ModelRouter;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.telemetry.MetricsEndpoint;
import dev.ossaat.orchestrator.telemetry.Redactor;
import dev.ossaat.orchestrator.usage.Identity;
import dev.ossaat.orchestrator.usage.PriceTable;
import dev.ossaat.orchestrator.usage.TokenEstimator;
import dev.ossaat.orchestrator.usage.UsageAccountant;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one gateway from a validated config: metrics, providers, routing, the HTTP API. Used by
 * {@link Main} and, in-process, by the tests.
 */
public final class Orchestrator {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator");

  private final Vertx vertx;
  private final OrchestratorConfig config;
  private final ProviderRegistry providers;
  private final int port;

  private Orchestrator(Vertx vertx, OrchestratorConfig config, ProviderRegistry providers, int port) {
    this.vertx = vertx;
    this.config = config;
    this.providers = providers;
    this.port = port;
  }

  /**
   * Starts serving. Blocks briefly for one-time work that must not happen on an event loop (loading
   * the tokenizer tables), so call it from a plain thread.
   */
  public static Future<Orchestrator> start(Vertx vertx, OrchestratorConfig config) {
    if (config.cache().enabled() && config.cache().type() == CacheConfig.CacheType.REDIS) {
      return Future.failedFuture(new ConfigException("cache.type",
          "redis is not available in this version; use memory (shared Redis caching is planned)"));
    }
    GatewayMetrics metrics = new GatewayMetrics();
    for (ProviderConfig p : config.providers()) {
      if (p.enabled()) metrics.registerProvider(p.name());
    }
    Redactor redactor = new Redactor(config.providers().stream()
        .filter(p -> p.apiKey().isPresent()).map(p -> p.apiKey().reveal()).toList());
    ProviderRegistry registry = new ProviderRegistry(vertx, config, redactor);
    // Breakers arrive with the resilience work; until then every provider's breaker reads closed.
    HealthRegistry health = new HealthRegistry(config, provider -> "closed");
    AttemptRecorder recorder = new AttemptRecorder(metrics, health);
    ApiServices services = new ApiServices(
        vertx, config, metrics,
        new ModelRouter(registry, config.routing()),
        new Dispatcher(vertx, recorder),
        recorder,
        new UsageAccountant(metrics, new PriceTable(config.providers())),
        new TokenEstimator(),
        health,
        config.cache().enabled() ? Optional.of(new ResponseCache(config.cache())) : Optional.empty(),
        new ApiServices.Labels(
            new BoundedLabel(config.metrics().maxTenants(), Identity.DEFAULT_TENANT),
            new BoundedLabel(config.metrics().maxUsers(), Identity.ANONYMOUS_USER),
            new BoundedLabel(config.metrics().maxModels(), "unknown")));
    Router router = HttpApi.router(services, new HealthEndpoints(config, health), new MetricsEndpoint(vertx, metrics));

    int requested = config.server().port();
    // Port 0 (tests) cannot be shared by several servers: one event loop then, all of them otherwise.
    int instances = requested == 0 ? 1 : Runtime.getRuntime().availableProcessors();
    AtomicReference<ServerVerticle> first = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          ServerVerticle v = new ServerVerticle(router, requested);
          first.compareAndSet(null, v);
          return v;
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> {
          int actual = first.get().actualPort();
          List<String> names = registry.all().stream().map(p -> p.name()).toList();
          LOG.info("orchestrator listening on port {} providers={} config={}", actual, String.join(",", names), config.source());
          return new Orchestrator(vertx, config, registry, actual);
        })
        .recover(t -> registry.close().transform(ignored -> Future.failedFuture(t)));
  }

  public int port() {
    return port;
  }

  public OrchestratorConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops the providers' pools; the caller owns (and closes) the Vert.x instance. */
  public Future<Void> close() {
    return providers.close();
  }
}
