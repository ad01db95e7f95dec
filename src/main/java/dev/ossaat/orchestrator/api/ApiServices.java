package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.cache.ResponseCache;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.resilience.Guards;
import dev.ossaat.orchestrator.routing.AttemptRecorder;
import dev.ossaat.orchestrator.routing.Dispatcher;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.usage.TokenEstimator;
import dev.ossaat.orchestrator.usage.UsageAccountant;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HTTP layer needs from the rest of the gateway, built once at start.
 *
 * @param routing the current config-derived snapshot; read once per request (it changes on reload)
 * @param startup the config the process started with, for what a reload cannot change (port, body limit)
 */
public record ApiServices(
    Vertx vertx,
    Supplier<RoutingSnapshot> routing,
    OrchestratorConfig startup,
    GatewayMetrics metrics,
    Dispatcher dispatcher,
    AttemptRecorder recorder,
    UsageAccountant accountant,
    TokenEstimator estimator,
    HealthRegistry health,
    Optional<ResponseCache> cache,
    Labels labels,
    Guards guards) {

  /** The bounded client-controlled labels. */
  public record Labels(BoundedLabel tenants, BoundedLabel users, BoundedLabel models) {}
}
