package dev.ossaat.orchestrator.resilience;

import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guards of every provider, kept across config reloads: a provider whose breaker settings did not
 * change keeps its breaker (and its state); admission limits are applied in place.
 */
public final class Guards {
  private final Vertx vertx;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private final Map<String, ProviderGuard> guards = new ConcurrentHashMap<>();

  /** Guards on the system clock, their timers on {@code vertx}. */
  public Guards(Vertx vertx, GatewayMetrics metrics) {
    this(vertx, metrics, Clock.of(vertx));
  }

  /** @param clock times every breaker's half-open wait and every admission queue's {@code maxWait} */
  public Guards(Vertx vertx, GatewayMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  /** Creates or updates the guards for these providers; guards of providers no longer listed are dropped. */
  public void apply(List<ProviderConfig> providers) {
    guards.keySet().retainAll(providers.stream().map(ProviderConfig::name).toList());
    for (ProviderConfig p : providers) {
      guards.compute(p.name(), (name, old) -> {
        ProviderBreaker breaker;
        if (old != null && old.breaker().config().equals(p.circuitBreaker())) {
          breaker = old.breaker();
        } else {
          breaker = new ProviderBreaker(name, p.circuitBreaker(), state -> metrics.circuitBreakerState(name, state), clock);
          if (old != null) {
            old.breaker().retire(); // first: its timer can no longer half-open it, nor its gauge move
            breaker.inherit(old.breaker());
          }
          metrics.circuitBreakerState(name, breaker.state());
        }
        AdmissionQueue admission = old != null ? old.admission()
            : new AdmissionQueue(vertx, clock, p.admission(), metrics.queueDepth.labelValues(name), metrics.queueWait.labelValues(name));
        if (old != null) admission.reconfigure(p.admission());
        return new ProviderGuard(breaker, admission, p.retry());
      });
    }
  }

  public ProviderGuard of(String provider) {
    return guards.get(provider);
  }

  /** closed, open or half_open; closed for a provider without a guard (not routable). */
  public String breakerState(String provider) {
    ProviderGuard g = guards.get(provider);
    return g == null ? "closed" : g.breaker().state();
  }
}
