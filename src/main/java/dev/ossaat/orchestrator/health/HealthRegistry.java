package dev.ossaat.orchestrator.health;

import dev.ossaat.orchestrator.config.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Health of every configured provider, judged from its recent traffic.
 *
 * <p>Rules (documented in the runbook): disabled when turned off; unhealthy without a credential,
 * with an open breaker, when every recent attempt failed, or at an error rate of 50% or more over at
 * least {@value #MIN_SAMPLES} attempts; degraded at 5% errors or a p95 above 5 s (the thresholds of
 * the ProviderHighErrorRate and ProviderHighLatency alerts); unknown without recent traffic.
 */
public final class HealthRegistry {
  private final dev.ossaat.orchestrator.resilience.Clock clock;
  static final int MIN_SAMPLES = 5;
  static final double UNHEALTHY_ERROR_RATE = 0.5;
  static final double DEGRADED_ERROR_RATE = 0.05;
  static final double DEGRADED_P95_SECONDS = 5.0;

  private final Supplier<List<ProviderConfig>> providers;
  private final Map<String, ProviderHealth> health = new ConcurrentHashMap<>();
  private final Function<String, String> breakerState;

  /**
   * @param providers the providers of the current config (it may be reloaded)
   * @param breakerState a provider's breaker state: closed, open or half_open
   */
  public HealthRegistry(Supplier<List<ProviderConfig>> providers, Function<String, String> breakerState) {
    this(providers, breakerState, dev.ossaat.orchestrator.resilience.Clock.SYSTEM);
  }

  /** @param clock dates each provider's outcomes for its health window */
  public HealthRegistry(Supplier<List<ProviderConfig>> providers, Function<String, String> breakerState,
      dev.ossaat.orchestrator.resilience.Clock clock) {
    this.clock = clock;
    this.providers = providers;
    this.breakerState = breakerState;
  }

  /** A provider's window; it survives config reloads, since its traffic history does not change. */
  public ProviderHealth of(String provider) {
    return health.computeIfAbsent(provider, p -> new ProviderHealth(clock));
  }

  public List<ProviderConfig> providers() {
    return providers.get();
  }

  /** Every provider's current status, in config order. */
  public Map<String, HealthStatus> statuses() {
    Map<String, HealthStatus> out = new LinkedHashMap<>();
    for (ProviderConfig p : providers()) out.put(p.name(), status(p, of(p.name()).snapshot()));
    return out;
  }

  public String breakerState(String provider) {
    return breakerState.apply(provider);
  }

  public HealthStatus status(ProviderConfig p, ProviderHealth.Snapshot s) {
    if (!p.enabled()) return HealthStatus.DISABLED;
    if (!p.configured() || "open".equals(breakerState.apply(p.name()))) return HealthStatus.UNHEALTHY;
    if (s.requests() == 0) return HealthStatus.UNKNOWN;
    if (s.errorRate() >= 1.0 || (s.requests() >= MIN_SAMPLES && s.errorRate() >= UNHEALTHY_ERROR_RATE)) {
      return HealthStatus.UNHEALTHY;
    }
    if (s.errorRate() >= DEGRADED_ERROR_RATE || s.p95LatencySeconds() > DEGRADED_P95_SECONDS) return HealthStatus.DEGRADED;
    return HealthStatus.HEALTHY;
  }

  /** The gateway's overall status from its enabled providers' statuses. */
  public static HealthStatus overall(Map<String, HealthStatus> statuses) {
    List<HealthStatus> enabled = statuses.values().stream().filter(s -> s != HealthStatus.DISABLED).toList();
    if (enabled.isEmpty() || enabled.stream().allMatch(s -> s == HealthStatus.UNHEALTHY)) return HealthStatus.UNHEALTHY;
    if (enabled.stream().anyMatch(s -> s == HealthStatus.UNHEALTHY || s == HealthStatus.DEGRADED)) return HealthStatus.DEGRADED;
    return HealthStatus.HEALTHY;
  }
}
