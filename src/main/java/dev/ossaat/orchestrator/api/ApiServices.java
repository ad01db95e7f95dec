package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.cache.ResponseCache;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.routing.AttemptRecorder;
import dev.ossaat.orchestrator.routing.Dispatcher;
import dev.ossaat.orchestrator.routing.ModelRouter;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.usage.TokenEstimator;
import dev.ossaat.orchestrator.usage.UsageAccountant;
import io.vertx.core.Vertx;
import java.util.Optional;

/** What the HTTP layer needs from the rest of the gateway, built once at start. */
public record ApiServices(
    Vertx vertx,
    OrchestratorConfig config,
    GatewayMetrics metrics,
    ModelRouter router,
    Dispatcher dispatcher,
    AttemptRecorder recorder,
    UsageAccountant accountant,
    TokenEstimator estimator,
    HealthRegistry health,
    Optional<ResponseCache> cache,
    Labels labels) {

  /** The bounded client-controlled labels. */
  public record Labels(BoundedLabel tenants, BoundedLabel users, BoundedLabel models) {}
}
