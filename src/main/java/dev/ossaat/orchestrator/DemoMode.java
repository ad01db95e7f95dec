package dev.ossaat.orchestrator;

import dev.ossaat.orchestrator.config.AdmissionConfig;
import dev.ossaat.orchestrator.config.CircuitBreakerConfig;
import dev.ossaat.orchestrator.config.ConnectionPoolConfig;
import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.ProviderType;
import dev.ossaat.orchestrator.config.RetryConfig;
import dev.ossaat.orchestrator.config.Secret;
import dev.ossaat.orchestrator.config.Timeouts;
import dev.ossaat.orchestrator.sim.ProviderSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The newcomer's demo: with the embedded defaults and no provider credential at all, orchestrator
 * starts its provider simulator in-process and routes to two simulated providers, so every endpoint
 * can be tried within a minute (see README).
 */
public final class DemoMode {
  public static final String PRIMARY = "sim-primary";
  public static final String SECONDARY = "sim-secondary";
  static final List<String> MODELS = List.of("gpt-4o-mini", "sim-small", "sim-large");

  private DemoMode() {}

  /** Whether to run the demo: embedded defaults, nothing routable, and not turned off with ORCHESTRATOR_DEMO=false. */
  public static boolean applies(boolean embeddedDefaults, OrchestratorConfig config, Map<String, String> env) {
    String flag = env.getOrDefault("ORCHESTRATOR_DEMO", "auto");
    if ("false".equalsIgnoreCase(flag)) return false;
    if ("true".equalsIgnoreCase(flag)) return true;
    return embeddedDefaults && config.routableProviders().isEmpty();
  }

  /** Starts the simulator and returns the config with the two simulated providers. */
  public static Future<OrchestratorConfig> start(Vertx vertx, OrchestratorConfig config, int simPort) {
    return ProviderSimulator.start(vertx, "127.0.0.1", simPort).map(sim -> config.withProviders(List.of(
        simulated(PRIMARY, sim.baseUrl("primary")),
        simulated(SECONDARY, sim.baseUrl("secondary"))), "demo (simulated providers on port " + sim.port() + ")"));
  }

  static ProviderConfig simulated(String name, String baseUrl) {
    Map<String, ModelPrice> prices = Map.of(
        "sim-small", new ModelPrice(0.10, 0.40, null),
        "sim-large", new ModelPrice(2.00, 8.00, null));
    Duration timeout = Duration.ofSeconds(30);
    return new ProviderConfig(name, true, ProviderType.OPENAI, baseUrl, Secret.none(), false, MODELS.get(0), MODELS,
        false, new Timeouts(timeout, timeout, timeout), ConnectionPoolConfig.DEFAULTS, CircuitBreakerConfig.DEFAULTS,
        RetryConfig.DEFAULTS, AdmissionConfig.DEFAULTS, 1, prices, Map.of());
  }
}
