package dev.ossaat.orchestrator.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole validated configuration.
 *
 * @param providers in preference order (the routing preference already applied)
 * @param source where it came from, for the start-up log and {@code /readyz}
 */
public record OrchestratorConfig(
    ServerConfig server,
    RoutingConfig routing,
    List<ProviderConfig> providers,
    BatchingConfig batching,
    CacheConfig cache,
    RedisConfig redis,
    MetricsConfig metrics,
    SecretsConfig secrets,
    AdminConfig admin,
    ReloadConfig reload,
    ProbeConfig probes,
    ResponsesConfig responses,
    LedgerConfig ledger,
    AuthConfig auth,
    LimitsConfig limits,
    String source) {

  public OrchestratorConfig {
    providers = List.copyOf(providers);
  }

  /** Without {@code responses:}, {@code ledger:}, {@code auth:} and {@code limits:}: their defaults. */
  public OrchestratorConfig(ServerConfig server, RoutingConfig routing, List<ProviderConfig> providers, BatchingConfig batching,
      CacheConfig cache, RedisConfig redis, MetricsConfig metrics, SecretsConfig secrets, AdminConfig admin, ReloadConfig reload,
      ProbeConfig probes, String source) {
    this(server, routing, providers, batching, cache, redis, metrics, secrets, admin, reload, probes, ResponsesConfig.DEFAULTS,
        LedgerConfig.DEFAULTS, AuthConfig.DEFAULTS, LimitsConfig.DEFAULTS, source);
  }

  public OrchestratorConfig withLedger(LedgerConfig newLedger) {
    return new OrchestratorConfig(server, routing, providers, batching, cache, redis, metrics, secrets, admin, reload, probes,
        responses, newLedger, auth, limits, source);
  }

  public Optional<ProviderConfig> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public List<ProviderConfig> routableProviders() {
    return providers.stream().filter(ProviderConfig::routable).toList();
  }

  public OrchestratorConfig withProviders(List<ProviderConfig> newProviders, String newSource) {
    return new OrchestratorConfig(server, routing, newProviders, batching, cache, redis, metrics, secrets, admin, reload, probes,
        responses, ledger, auth, limits, newSource);
  }

  public OrchestratorConfig withPort(int port) {
    return new OrchestratorConfig(
        server.withPort(port),
        routing, providers, batching, cache, redis, metrics, secrets, admin, reload, probes, responses, ledger, auth, limits, source);
  }
}
