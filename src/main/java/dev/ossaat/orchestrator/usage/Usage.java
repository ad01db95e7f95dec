package dev.ossaat.orchestrator.usage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token usage of one request.
 *
 * @param cachedPromptTokens the part of {@code promptTokens} the provider served from its prompt cache
 * @param estimated true when counted by our tokenizer because the provider reported nothing
 */
public record Usage(long promptTokens, long completionTokens, long cachedPromptTokens, boolean estimated) {
  public static final Usage NONE = new Usage(0, 0, 0, false);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Reads an OpenAI {@code usage} object; null when absent or not an object. */
  public static Usage fromOpenAi(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    return new Usage(prompt, completion, cached, false);
  }
}
