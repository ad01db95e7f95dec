package dev.ossaat.orchestrator.exchange;

/**
 * Token usage of one request, in one meaning whatever the wire format reported it in.
 *
 * <p>{@code promptTokens} is every input token, including those read from and written to the
 * provider's prompt cache (OpenAI's {@code prompt_tokens} already include its cached tokens;
 * Anthropic's {@code input_tokens} exclude both cache counts, so its codec adds them in).
 * {@code completionTokens} is every output token, including reasoning ones. The three detail counts
 * are parts of those totals, priced separately.
 *
 * @param cacheReadTokens input tokens served from the provider's prompt cache
 * @param cacheWriteTokens input tokens written to the provider's prompt cache (Anthropic bills them higher)
 * @param reasoningTokens output tokens spent on reasoning (OpenAI's {@code reasoning_tokens})
 * @param estimated true when counted by our tokenizer because the provider reported nothing
 */
public record Usage(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens,
    long reasoningTokens, boolean estimated) {
  public static final Usage NONE = new Usage(0, 0, 0, 0, 0, false);

  public static Usage estimate(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, 0, 0, 0, true);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * This usage with the non-zero counts of a later report laid over it: streams report usage in
   * parts (Anthropic: input and cache counts at the start, output at the end), and each part counts.
   */
  public Usage merge(Usage later) {
    if (later == null) return this;
    return new Usage(
        later.promptTokens != 0 ? later.promptTokens : promptTokens,
        later.completionTokens != 0 ? later.completionTokens : completionTokens,
        later.cacheReadTokens != 0 ? later.cacheReadTokens : cacheReadTokens,
        later.cacheWriteTokens != 0 ? later.cacheWriteTokens : cacheWriteTokens,
        later.reasoningTokens != 0 ? later.reasoningTokens : reasoningTokens,
        estimated && later.estimated);
  }
}
