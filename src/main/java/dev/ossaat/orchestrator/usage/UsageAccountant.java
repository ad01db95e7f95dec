package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import java.util.Optional;
import java.util.function.Supplier;

/** Turns one request's usage into token and dollar counters per provider, model, tenant and user. */
public final class UsageAccountant {
  private final GatewayMetrics metrics;
  private final Supplier<PriceTable> prices;

  /** @param prices the price table of the current config (it may be reloaded) */
  public UsageAccountant(GatewayMetrics metrics, Supplier<PriceTable> prices) {
    this.metrics = metrics;
    this.prices = prices;
  }

  /**
   * Records the usage and returns its cost in dollars, or empty when the model has no price (then
   * the request is counted as unpriced instead of as $0).
   *
   * @param priceModel the model the provider actually ran, which is what it bills
   */
  public Optional<Double> account(String provider, String modelLabel, String priceModel, Identity who, Usage usage) {
    if (usage.totalTokens() == 0) return Optional.of(0.0);
    metrics.tokens.labelValues(provider, modelLabel, "prompt", who.tenantId(), who.userId()).inc(usage.promptTokens());
    metrics.tokens.labelValues(provider, modelLabel, "completion", who.tenantId(), who.userId()).inc(usage.completionTokens());
    if (usage.estimated()) {
      metrics.estimatedTokens.labelValues(provider, modelLabel, "prompt").inc(usage.promptTokens());
      metrics.estimatedTokens.labelValues(provider, modelLabel, "completion").inc(usage.completionTokens());
    }
    Optional<ModelPrice> price = prices.get().price(provider, priceModel);
    if (price.isEmpty()) {
      metrics.unpriced.labelValues(provider, modelLabel).inc();
      return Optional.empty();
    }
    double dollars = price.get().costOf(usage.promptTokens(), usage.cachedPromptTokens(), 0, usage.completionTokens(), 0);
    metrics.cost.labelValues(provider, modelLabel, who.tenantId()).inc(dollars);
    return Optional.of(dollars);
  }
}
