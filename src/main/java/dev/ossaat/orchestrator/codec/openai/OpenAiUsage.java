package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.Usage;

/**
 * OpenAI's {@code usage} object: cached tokens are part of prompt_tokens, reasoning part of completion_tokens.
 * OpenRouter adds {@code prompt_tokens_details.cache_write_tokens} (also part of prompt_tokens) and a
 * {@code cost} in credits, which is not read: orchestrator prices tokens with its own table.
 */
public final class OpenAiUsage {
  private OpenAiUsage() {}

  /** Null when absent or not an object. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    return new Usage(
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(0), // OpenRouter's, for Anthropic models
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
        false);
  }

  static ObjectNode write(Usage u) {
    ObjectNode out = Json.object()
        .put("prompt_tokens", u.promptTokens())
        .put("completion_tokens", u.completionTokens())
        .put("total_tokens", u.totalTokens());
    out.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
    out.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    return out;
  }
}
