package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.Usage;
import java.util.Optional;

/** The dollars a usage costs at a provider's price for a model (empty: unpriced), for what a hit saved. */
@FunctionalInterface
public interface CachePricing {
  CachePricing NONE = (provider, model, usage) -> Optional.empty();

  Optional<Double> dollars(String provider, String model, Usage usage);
}
