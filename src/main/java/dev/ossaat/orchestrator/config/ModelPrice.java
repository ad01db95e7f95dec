package dev.ossaat.orchestrator.config;

/**
 * Dollars per million tokens of each kind.
 *
 * @param prompt input tokens that were neither read from nor written to the provider's prompt cache
 * @param completion output tokens that are not reasoning tokens
 * @param cachedPrompt input tokens read from the provider's prompt cache (OpenAI's
 *     {@code prompt_tokens_details.cached_tokens}, Anthropic's {@code cache_read_input_tokens});
 *     null: the prompt price
 * @param cacheWrite input tokens written to the prompt cache (Anthropic's
 *     {@code cache_creation_input_tokens}, at its 5-minute price); null: the prompt price
 * @param reasoning output tokens spent on reasoning ({@code completion_tokens_details.reasoning_tokens});
 *     null: the completion price
 */
public record ModelPrice(double prompt, double completion, Double cachedPrompt, Double cacheWrite, Double reasoning) {

  /** A price without cache-write or reasoning rates (they cost the prompt and completion price). */
  public ModelPrice(double prompt, double completion, Double cachedPrompt) {
    this(prompt, completion, cachedPrompt, null, null);
  }

  public double cachedPromptPrice() {
    return cachedPrompt == null ? prompt : cachedPrompt;
  }

  public double cacheWritePrice() {
    return cacheWrite == null ? prompt : cacheWrite;
  }

  public double reasoningPrice() {
    return reasoning == null ? completion : reasoning;
  }

  /**
   * The cost in dollars of one request.
   *
   * @param promptTokens every input token, those read from and written to the cache included
   * @param cachedReadTokens the part of {@code promptTokens} read from the prompt cache
   * @param cacheWriteTokens the part of {@code promptTokens} written to the prompt cache
   * @param completionTokens every output token, reasoning tokens included
   * @param reasoningTokens the part of {@code completionTokens} spent on reasoning
   */
  public double costOf(long promptTokens, long cachedReadTokens, long cacheWriteTokens, long completionTokens,
      long reasoningTokens) {
    long read = Math.max(0, cachedReadTokens);
    long write = Math.max(0, cacheWriteTokens);
    long uncached = Math.max(0, promptTokens - read - write);
    long reasoned = Math.max(0, reasoningTokens);
    long answered = Math.max(0, completionTokens - reasoned);
    return (uncached * prompt + read * cachedPromptPrice() + write * cacheWritePrice()
        + answered * completion + reasoned * reasoningPrice()) / 1_000_000.0;
  }
}
