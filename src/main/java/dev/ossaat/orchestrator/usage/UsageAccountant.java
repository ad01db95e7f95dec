package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.exchange.CallerLabels;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns one request's usage into token and dollar counters per provider, model, tenant and user.
 * Every kind of token is priced at its own rate: cache reads, cache writes and reasoning apart from
 * plain input and output.
 */
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
  public Optional<Double> account(String provider, String modelLabel, String priceModel, CallerLabels who, Usage usage) {
    if (usage.totalTokens() == 0) return Optional.of(0.0);
    if (!metrics.providerSeries()) return cost(provider, priceModel, usage);
    metrics.tokens.labelValues(provider, modelLabel, "prompt", who.tenant(), who.user()).inc(usage.promptTokens());
    metrics.tokens.labelValues(provider, modelLabel, "completion", who.tenant(), who.user()).inc(usage.completionTokens());
    if (usage.cacheReadTokens() > 0) {
      metrics.tokenDetails.labelValues(provider, modelLabel, "cache_read", who.tenant()).inc(usage.cacheReadTokens());
    }
    if (usage.cacheWriteTokens() > 0) {
      metrics.tokenDetails.labelValues(provider, modelLabel, "cache_write", who.tenant()).inc(usage.cacheWriteTokens());
    }
    if (usage.reasoningTokens() > 0) {
      metrics.tokenDetails.labelValues(provider, modelLabel, "reasoning", who.tenant()).inc(usage.reasoningTokens());
    }
    if (usage.estimated()) {
      metrics.estimatedTokens.labelValues(provider, modelLabel, "prompt").inc(usage.promptTokens());
      metrics.estimatedTokens.labelValues(provider, modelLabel, "completion").inc(usage.completionTokens());
    }
    Optional<ModelPrice> price = prices.get().price(provider, priceModel);
    if (price.isEmpty()) {
      metrics.unpriced.labelValues(provider, modelLabel).inc();
      return Optional.empty();
    }
    double dollars = price.get().costOf(usage.promptTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
        usage.completionTokens(), usage.reasoningTokens());
    metrics.cost.labelValues(provider, modelLabel, who.tenant()).inc(dollars);
    return Optional.of(dollars);
  }

  /** The cost without recording anything ({@code metrics.enabled: false}). */
  private Optional<Double> cost(String provider, String priceModel, Usage usage) {
    return prices.get().price(provider, priceModel).map(p -> p.costOf(usage.promptTokens(), usage.cacheReadTokens(),
        usage.cacheWriteTokens(), usage.completionTokens(), usage.reasoningTokens()));
  }

  /** Whether the one log line per request is written ({@code logging.requestLog}). */
  public boolean requestLog() {
    return metrics.requestLog();
  }
}
