package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.usage.PriceTable;

/**
 * Everything derived from one version of the config, swapped as a whole on reload: a request reads
 * the snapshot once at its start and keeps it to its end, so it never sees half of a change.
 */
public record RoutingSnapshot(OrchestratorConfig config, ProviderRegistry providers, ModelRouter router, PriceTable prices) {
  /** Where a request keeps the snapshot it started with. */
  public static final RequestExchange.Key<RoutingSnapshot> KEY = new RequestExchange.Key<>("routing-snapshot");

  public static RoutingSnapshot of(RequestExchange exchange) {
    return exchange.get(KEY);
  }
}
