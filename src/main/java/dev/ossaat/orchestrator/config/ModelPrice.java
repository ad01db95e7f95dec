package dev.ossaat.orchestrator.config;

/**
 * Dollars per million tokens. {@code cachedPrompt} is the price of prompt tokens the provider served
 * from its own prompt cache (OpenAI's {@code prompt_tokens_details.cached_tokens}); when unset they
 * cost the full prompt price.
 */
public record ModelPrice(double prompt, double completion, Double cachedPrompt) {
  public double costOf(long promptTokens, long cachedPromptTokens, long completionTokens) {
    long cached = Math.max(0, Math.min(cachedPromptTokens, promptTokens));
    double cachedPrice = cachedPrompt == null ? prompt : cachedPrompt;
    return ((promptTokens - cached) * prompt + cached * cachedPrice + completionTokens * completion) / 1_000_000.0;
  }
}
