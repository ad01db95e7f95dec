package dev.ossaat.orchestrator;

import dev.ossaat.orchestrator.api.ApiServices;
import dev.ossaat.orchestrator.api.Drain;
import dev.ossaat.orchestrator.api.HttpApi;
import dev.ossaat.orchestrator.api.ServerVerticle;
import dev.ossaat.orchestrator.batching.BatchMetrics;
import dev.ossaat.orchestrator.batching.EmbeddingBatcher;
import dev.ossaat.orchestrator.cache.CacheClock;
import dev.ossaat.orchestrator.cache.CacheMetrics;
import dev.ossaat.orchestrator.cache.CachePricing;
import dev.ossaat.orchestrator.cache.CacheStage;
import dev.ossaat.orchestrator.cache.MemoryResponseCache;
import dev.ossaat.orchestrator.cache.RedisResponseCache;
import dev.ossaat.orchestrator.cache.ResponseCache;
import dev.ossaat.orchestrator.config.CacheConfig;
import dev.ossaat.orchestrator.config.ConfigWatcher;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.gateway.RequestPipelines;
import dev.ossaat.orchestrator.api.AccessServices;
import dev.ossaat.orchestrator.identity.IdentifyStage;
import dev.ossaat.orchestrator.identity.IdentityMetrics;
import dev.ossaat.orchestrator.identity.KeyAuthenticator;
import dev.ossaat.orchestrator.identity.KeyChanges;
import dev.ossaat.orchestrator.identity.KeyStore;
import dev.ossaat.orchestrator.limits.CallerLimits;
import dev.ossaat.orchestrator.limits.LimitOverrides;
import dev.ossaat.orchestrator.limits.Limiter;
import dev.ossaat.orchestrator.limits.LimitsMetrics;
import dev.ossaat.orchestrator.health.HealthEndpoints;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.health.ProbeRunner;
import dev.ossaat.orchestrator.resilience.Clock;
import dev.ossaat.orchestrator.resilience.Guards;
import dev.ossaat.orchestrator.resilience.ProviderGuard;
import dev.ossaat.orchestrator.responses.ResponseStores;
import dev.ossaat.orchestrator.routing.AttemptRecorder;
import dev.ossaat.orchestrator.routing.Dispatcher;
import dev.ossaat.orchestrator.routing.ModelRouter;
import dev.ossaat.orchestrator.routing.ProviderRegistry;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.telemetry.MetricsEndpoint;
import dev.ossaat.orchestrator.secrets.Redactor;
import dev.ossaat.orchestrator.store.SharedRedis;
import dev.ossaat.orchestrator.usage.UsageEstimates;
import dev.ossaat.orchestrator.usage.PriceTable;
import dev.ossaat.orchestrator.usage.TokenEstimator;
import dev.ossaat.orchestrator.usage.UsageAccountant;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one gateway from a validated config: metrics, providers, resilience, routing, the HTTP API.
 * Used by {@link Main} and, in-process, by the tests. Holds the current {@link RoutingSnapshot}, which
 * {@link #apply} replaces on a config reload, and drains gracefully on {@link #close}.
 */
public final class Orchestrator {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator");

  private final Vertx vertx;
  private final OrchestratorConfig startup;
  private final AtomicReference<RoutingSnapshot> current;
  private final Guards guards;
  private final GatewayMetrics metrics;
  private final HealthRegistry health;
  private final Redactor redactor;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private final Drain drain;
  private final Clock clock;
  private SharedRedis redis;
  private Optional<dev.ossaat.orchestrator.ledger.Ledger> ledger = Optional.empty();
  private KeyChanges keyChanges;
  private String deploymentId;
  private int port;
  /** Set while {@code server.warmUp} has yet to run (see {@link #warmUp}): {@code /readyz} answers 503 meanwhile. */
  private volatile boolean warming;
  /** False for {@link WarmUp}'s throwaway gateway: its start and stop are not the process's to announce. */
  private boolean announce = true;

  private Orchestrator(Vertx vertx, OrchestratorConfig config, Clock clock) {
    this.vertx = vertx;
    this.startup = config;
    this.metrics = new GatewayMetrics();
    this.guards = new Guards(vertx, metrics, clock);
    this.clock = clock;
    this.redactor = new Redactor(secretsOf(config));
    this.current = new AtomicReference<>();
    this.health = new HealthRegistry(() -> current.get().config().providers(), guards::breakerState, clock);
    this.drain = new Drain(vertx);
    this.warming = config.server().warmUp().enabled();
  }

  /**
   * Starts serving. Does blocking one-time work (loading the tokenizer tables), so call it from a
   * plain thread, never from an event loop.
   */
  public static Future<Orchestrator> start(Vertx vertx, OrchestratorConfig config) {
    return start(vertx, config, Clock.of(vertx));
  }

  /**
   * @param clock the time line of the time-based policies (breakers, admission waits, deadlines,
   *     health windows): the system's in production, a manual one in tests that cross a wait
   */
  public static Future<Orchestrator> start(Vertx vertx, OrchestratorConfig config, Clock clock) {
    Orchestrator o = new Orchestrator(vertx, config, clock);
    if (!config.ledger().enabled()) return o.serve();
    // The ledger first (spool recovery, schema migrations: blocking, on a worker), then the server.
    // Waited for on this (plain) thread: serve() must not run on an event loop (it loads the tokenizer).
    dev.ossaat.orchestrator.ledger.Ledger l;
    try {
      l = dev.ossaat.orchestrator.ledger.Ledger.start(vertx, config.ledger(), o.metrics.registry())
          .toCompletionStage().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return Future.failedFuture(e.getCause());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    o.ledger = Optional.of(l);
    return o.serve().recover(t -> l.close().transform(ignored -> Future.failedFuture(t)));
  }

  /** {@link WarmUp}'s throwaway gateway: no start or shutdown lines in the log (it has no ledger). */
  static Future<Orchestrator> startUnannounced(Vertx vertx, OrchestratorConfig config) {
    Orchestrator o = new Orchestrator(vertx, config, Clock.of(vertx));
    o.announce = false;
    return o.serve();
  }

  private Future<Orchestrator> serve() {
    OrchestratorConfig config = startup;
    metrics.switches(config.metrics().enabled(), config.metrics().requestLog());
    current.set(snapshot(config, null));
    AttemptRecorder recorder = new AttemptRecorder(metrics, health);
    UsageEstimates estimates = new UsageEstimates(new TokenEstimator());
    // Keys and limits: Redis is connected on first use only (auth.mode keys, limits.enabled, the admin API).
    KeyStore keys = new KeyStore(this::redis);
    KeyAuthenticator authenticator = new KeyAuthenticator(keys, clock, Clock.wallMillis(clock), config.auth().cacheTtl(),
        config.auth().cacheMaxSize());
    keyChanges = new KeyChanges(vertx, this::redis, authenticator);
    if (config.auth().keys()) keyChanges.start();
    IdentifyStage identify = new IdentifyStage(
        new BoundedLabel(config.metrics().maxTenants(), Caller.DEFAULT_TENANT),
        new BoundedLabel(config.metrics().maxUsers(), Caller.ANONYMOUS_USER),
        new BoundedLabel(config.metrics().maxModels(), "unknown"),
        model -> current.get().router().isKnown(model), Optional.of(authenticator), new IdentityMetrics(metrics.registry()));
    LimitsMetrics limitsMetrics = new LimitsMetrics(metrics.registry());
    CallerLimits limits = new CallerLimits(new Limiter(this::redis, clock, limitsMetrics), limitsMetrics,
        () -> current.get().prices());
    RequestPipelines pipelines = new RequestPipelines(new RequestPipelines.Parts(identify,
        config.cache().enabled() ? Optional.of(cacheStage(config.cache())) : Optional.empty(), metrics,
        batchingAware(new Dispatcher(vertx, recorder, guards, name -> current.get().providers().get(name)), config),
        new UsageAccountant(metrics, () -> current.get().prices()), estimates,
        () -> current.get().config().server().maxInflightRequests(), Optional.of(limits),
        ResponseStores.of(config.responses(), guards.clock(), this::redis),
        ledger.isPresent() ? ledger.get() : dev.ossaat.orchestrator.ledger.UsageLedger.DISABLED,
        config.batching().enabled()
            ? Optional.of(new EmbeddingBatcher(vertx, config.batching(), new BatchMetrics(metrics.registry()), clock, guards::of))
            : Optional.empty()));
    ApiServices services = new ApiServices(vertx, current::get, config, metrics, pipelines, guards,
        new AccessServices(keys, authenticator, keyChanges, new LimitOverrides(this::redis)));
    Router router = HttpApi.router(services,
        new HealthEndpoints(() -> current.get().config(), health, drain::draining, () -> warming),
        new MetricsEndpoint(vertx, metrics, this::updateHealthGauge), drain);
    // GET /v1/usage: the ledger's totals (the admin token for any tenant, a valid gateway API key for its own).
    new dev.ossaat.orchestrator.ledger.UsageEndpoint(ledger, () -> current.get().config().admin().token(),
        token -> authenticator.check(token).map(r -> r.verdict() == KeyAuthenticator.Verdict.OK
            ? Optional.of(r.key().tenant()) : Optional.<String>empty())).mount(router);

    int requested = config.server().port();
    // Port 0 (tests) cannot be shared by several servers: one event loop then, all of them otherwise.
    int instances = requested == 0 ? 1 : Runtime.getRuntime().availableProcessors();
    List<ServerVerticle> servers = new CopyOnWriteArrayList<>();
    return warmUp(config).compose(warm -> vertx.deployVerticle(() -> {
          ServerVerticle v = new ServerVerticle(router, requested);
          servers.add(v);
          return v;
        }, new DeploymentOptions().setInstances(instances)))
        .map(id -> {
          deploymentId = id;
          port = servers.get(0).actualPort();
          updateHealthGauge();
          if (config.probes().enabled()) {
            ProbeRunner probes = new ProbeRunner(vertx, () -> current.get().providers().adapters(), health, config.probes());
            timers.add(probes.start());
          }
          if (announce) {
            LOG.info("orchestrator listening on port {} providers={} config={} transport={}{}", port, names(current.get()),
                config.source(), vertx.isNativeTransportEnabled() ? "epoll" : "nio",
                warming ? "; warming up for " + config.server().warmUp().duration().toMillis() + " ms before ready" : "");
          }
          return this;
        })
        .recover(t -> current.get().providers().close(java.time.Duration.ZERO).transform(ignored -> Future.failedFuture(t)));
  }

  /** Builds the snapshot of a config, reusing the adapters of unchanged providers from {@code previous}. */
  private RoutingSnapshot snapshot(OrchestratorConfig config, RoutingSnapshot previous) {
    for (ProviderConfig p : config.providers()) {
      if (p.enabled()) metrics.registerProvider(p.name());
    }
    guards.apply(config.routableProviders());
    ProviderRegistry registry = new ProviderRegistry(vertx, config, redactor, previous == null ? null : previous.providers());
    ModelRouter router = new ModelRouter(registry, config.routing(), new ModelRouter.ProviderStats() {
      @Override
      public int inflight(String provider) {
        ProviderGuard g = guards.of(provider);
        return g == null ? 0 : g.admission().active() + g.admission().queued();
      }

      @Override
      public double latencyNanos(String provider) {
        return health.of(provider).ewmaLatencyNanos();
      }
    });
    return new RoutingSnapshot(config, registry, router, new PriceTable(config.providers()));
  }

  /**
   * Applies a reloaded config: provider enablement, order, weights, strategies, limits, timeouts,
   * breaker settings and credentials take effect for the next request; requests in flight finish on
   * what they started with. The port, body limit, cache, Redis, batching and metric bounds need a restart.
   */
  public synchronized void apply(OrchestratorConfig config) {
    RoutingSnapshot previous = current.get();
    List<String> needRestart = new ArrayList<>();
    if (config.server().maxBodyBytes() != startup.server().maxBodyBytes()) needRestart.add("server.maxBodyBytes");
    if (!config.cache().equals(startup.cache())) needRestart.add("cache");
    if (!config.redis().equals(startup.redis())) needRestart.add("redis");
    if (!config.batching().equals(startup.batching())) needRestart.add("providers.batching");
    if (!config.metrics().equals(startup.metrics())) needRestart.add("metrics");
    if (!config.responses().equals(startup.responses())) needRestart.add("responses");
    if (!config.ledger().equals(startup.ledger())) needRestart.add("ledger");
    if (!config.auth().cacheTtl().equals(startup.auth().cacheTtl()) || config.auth().cacheMaxSize() != startup.auth().cacheMaxSize()) {
      needRestart.add("auth.cacheTtl/cacheMaxSize");
    }
    redactor.update(secretsOf(config));
    RoutingSnapshot next = snapshot(config, previous);
    current.set(next);
    // Calls still running on a replaced adapter may finish, up to the longest a request can take.
    next.providers().closeReplaced(previous.providers(), config.server().requestTimeout().plusSeconds(5));
    List<String> changed = config.providers().stream()
        .filter(p -> previous.config().provider(p.name()).map(old -> !old.equals(p)).orElse(true))
        .map(ProviderConfig::name).toList();
    LOG.info("config reloaded from {} providers={} changed={}{}", config.source(), names(next), changed,
        needRestart.isEmpty() ? "" : " (a restart is needed to apply " + String.join(", ", needRestart) + ")");
    updateHealthGauge();
  }

  /**
   * Watches the config source ({@code reload.enabled}, every {@code reload.interval}): changes to the
   * file or to mounted secret files are applied without a restart.
   *
   * @param reader reads and validates the config again (a worker thread calls it)
   */
  public void watchConfig(java.util.concurrent.Callable<OrchestratorConfig> reader) {
    if (!startup.reload().enabled()) return;
    ConfigWatcher watcher = new ConfigWatcher(vertx, () -> reader.call().withPort(startup.server().port()),
        () -> current.get().config(), this::apply);
    timers.add(watcher.start(startup.reload().interval().toMillis()));
  }

  public OrchestratorConfig config() {
    return current.get().config();
  }

  /** The usage ledger, when {@code ledger.enabled}. */
  public Optional<dev.ossaat.orchestrator.ledger.Ledger> ledger() {
    return ledger;
  }

  public int port() {
    return port;
  }

  /**
   * Graceful shutdown: readiness fails at once, the servers stop accepting and give in-flight requests
   * and streams up to {@code server.drainTimeout} to finish, then the provider pools close. The caller
   * owns (and closes) the Vert.x instance.
   */
  /**
   * Runs {@code server.warmUp} (when configured) and then lets {@code /readyz} say ready. Blocks the
   * calling thread for the warm-up's duration: call it from a plain thread (as {@link Main} does), never
   * from an event loop. The server already listens meanwhile: liveness, metrics and health answer.
   */
  public void warmUp() {
    if (!warming) return;
    try {
      WarmUp.run(vertx, startup.server().warmUp());
    } finally {
      warming = false;
    }
  }

  public Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    if (announce) {
      LOG.info("orchestrator shutting down: draining {} requests in flight for up to {} ms", drain.inFlight(),
          startup.server().drainTimeout().toMillis());
    }
    return drain.begin(startup.server().drainTimeout().toMillis())
        .compose(v -> deploymentId == null ? Future.<Void>succeededFuture() : vertx.undeploy(deploymentId))
        .eventually(() -> current.get().providers().close(java.time.Duration.ofSeconds(1)))
        .eventually(() -> {
          synchronized (this) {
            if (keyChanges != null) keyChanges.close();
            if (redis != null) redis.close();
          }
          return Future.succeededFuture();
        })
        .eventually(() -> ledger.isPresent() ? ledger.get().close() : Future.<Void>succeededFuture());
  }

  /**
   * The shared Redis ({@code redis:}), created on first use by a feature configured to need it (the
   * cache with {@code type: redis}, limits, the Responses store); a gateway that needs none never
   * connects.
   */
  private synchronized SharedRedis redis() {
    if (redis == null) redis = new SharedRedis(vertx, startup.redis(), metrics.registry());
    return redis;
  }

  private static Dispatcher batchingAware(Dispatcher dispatcher, OrchestratorConfig config) {
    return config.batching().enabled() ? dispatcher.embeddingsBatched() : dispatcher;
  }

  /**
   * When a feature asks Redis on the request path (the Redis cache, keys, limits), one PING before
   * serving: the connection is open (and the client's classes loaded) before the first request needs
   * it. Redis down at start is not fatal: each feature degrades as documented (SharedRedis logs it).
   */
  private Future<Void> warmUp(OrchestratorConfig config) {
    boolean redisCache = config.cache().enabled() && config.cache().type() == CacheConfig.CacheType.REDIS;
    String use = redisCache ? "cache" : config.auth().keys() || config.limits().enabled() ? "limits" : null;
    if (use == null) return Future.succeededFuture();
    return redis().send(use, io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PING))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** The response cache of {@code cache.type}: this pod's memory, or the shared Redis ({@code redis:}). */
  private CacheStage cacheStage(CacheConfig config) {
    CacheMetrics cacheMetrics = new CacheMetrics(metrics.registry(), config.type() == CacheConfig.CacheType.REDIS ? "redis" : "memory");
    CacheClock wall = CacheClock.of(clock);
    ResponseCache cache = config.type() == CacheConfig.CacheType.REDIS
        ? new RedisResponseCache(vertx, redis(), config.maxSize(), config.compressionEnabled(), wall, cacheMetrics)
        : new MemoryResponseCache(vertx, config.maxSize(), config.compressionEnabled(), wall, cacheMetrics);
    CachePricing pricing = (provider, model, usage) -> current.get().prices().price(provider, model)
        .map(p -> p.costOf(usage.promptTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
            usage.completionTokens(), usage.reasoningTokens()));
    return new CacheStage(cache, config, metrics, cacheMetrics, pricing, wall);
  }

  private void updateHealthGauge() {
    health.statuses().forEach((provider, status) -> metrics.healthStatus(provider, status.label()));
  }

  private static String names(RoutingSnapshot s) {
    return String.join(",", s.providers().all().stream().map(ProviderRegistry.Entry::name).toList());
  }

  private static List<String> secretsOf(OrchestratorConfig config) {
    List<String> secrets = new ArrayList<>();
    for (ProviderConfig p : config.providers()) {
      if (p.apiKey().isPresent()) secrets.add(p.apiKey().reveal());
    }
    if (config.admin().token().isPresent()) secrets.add(config.admin().token().reveal());
    if (config.redis().password().isPresent()) secrets.add(config.redis().password().reveal());
    if (config.ledger().password().isPresent()) secrets.add(config.ledger().password().reveal());
    return secrets;
  }
}
