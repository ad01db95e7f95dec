package dev.ossaat.orchestrator.health;

import dev.ossaat.orchestrator.config.ProbeConfig;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * Active health probes: every {@code health.probes.interval}, each routable provider is asked for its
 * model list. The outcome joins the provider's health window like a request's would, so a provider
 * that nobody calls still shows whether it answers.
 */
public final class ProbeRunner {
  private final Vertx vertx;
  private final Supplier<List<Provider>> providers;
  private final HealthRegistry health;
  private final ProbeConfig config;

  public ProbeRunner(Vertx vertx, Supplier<List<Provider>> providers, HealthRegistry health, ProbeConfig config) {
    this.vertx = vertx;
    this.providers = providers;
    this.health = health;
    this.config = config;
  }

  /** Starts probing now and then periodically; returns the timer id. */
  public long start() {
    probeAll();
    return vertx.setPeriodic(config.interval().toMillis(), t -> probeAll());
  }

  private void probeAll() {
    for (Provider p : providers.get()) {
      long start = System.nanoTime();
      p.probe(config.timeout().toMillis()).onComplete(ar -> {
        long latency = System.nanoTime() - start;
        if (ar.succeeded()) {
          health.of(p.name()).success(latency);
        } else {
          String message = ar.cause() instanceof ProviderException pe ? pe.getMessage() : "probe failed";
          health.of(p.name()).failure(latency, "probe: " + message);
        }
      });
    }
  }
}
