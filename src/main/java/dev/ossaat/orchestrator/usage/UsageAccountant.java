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
    Optional<Double> cost = cost(provider, priceModel, usage);
    record(provider, modelLabel, who, usage, cost);
    return cost;
  }

  /** The usage's cost in dollars, or empty when the model has no price; no metric is touched. */
  public Optional<Double> cost(String provider, String priceModel, Usage usage) {
    if (usage.totalTokens() == 0) return Optional.of(0.0);
    Optional<ModelPrice> price = prices.get().price(provider, priceModel);
    return price.map(p -> p.costOf(usage.promptTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
        usage.completionTokens(), usage.reasoningTokens()));
  }

  /** Counts usage whose cost {@link #cost} already settled (so the ledger and the counters agree). */
  public void record(String provider, String modelLabel, CallerLabels who, Usage usage, Optional<Double> cost) {
    if (usage.totalTokens() == 0 || !metrics.providerSeries()) return;
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
    if (cost.isEmpty()) {
      metrics.unpriced.labelValues(provider, modelLabel).inc();
      return;
    }
    metrics.cost.labelValues(provider, modelLabel, who.tenant()).inc(cost.get());
  }

  /** The cost without recording anything ({@code metrics.enabled: false}). */

  /** Whether the one log line per request is written ({@code logging.requestLog}). */
  public boolean requestLog() {
    return metrics.requestLog();
  }
}
