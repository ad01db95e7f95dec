package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.gateway.RequestPipelines;
import dev.ossaat.orchestrator.resilience.Guards;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * What the HTTP layer needs from the rest of the gateway, built once at start.
 *
 * @param routing the current config-derived snapshot; read once per request (it changes on reload)
 * @param startup the config the process started with, for what a reload cannot change (port, body limit)
 * @param pipelines the request path of each front door
 * @param access gateway API keys and run-time limits, for the admin API
 */
public record ApiServices(
    Vertx vertx,
    Supplier<RoutingSnapshot> routing,
    OrchestratorConfig startup,
    GatewayMetrics metrics,
    RequestPipelines pipelines,
    Guards guards,
    AccessServices access) {}
