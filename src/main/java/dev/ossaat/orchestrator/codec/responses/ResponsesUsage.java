package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.Usage;

/**
 * The Responses API's {@code usage}: {@code input_tokens} include the cached ones
 * ({@code input_tokens_details.cached_tokens}), {@code output_tokens} the reasoning ones
 * ({@code output_tokens_details.reasoning_tokens}), the neutral meaning exactly. Tokens written to a
 * provider's prompt cache (Anthropic's cache creation) are {@code input_tokens_details.cache_write_tokens}.
 */
public final class ResponsesUsage {
  private ResponsesUsage() {}

  /** Null when absent or not an object. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    return new Usage(
        usage.path("input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0),
        usage.path("input_tokens_details").path("cached_tokens").asLong(0),
        usage.path("input_tokens_details").path("cache_write_tokens").asLong(0),
        usage.path("output_tokens_details").path("reasoning_tokens").asLong(0),
        false);
  }

  public static ObjectNode write(Usage u) {
    ObjectNode out = Json.object().put("input_tokens", u.promptTokens());
    out.putObject("input_tokens_details").put("cached_tokens", u.cacheReadTokens()).put("cache_write_tokens", u.cacheWriteTokens());
    out.put("output_tokens", u.completionTokens());
    out.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    out.put("total_tokens", u.totalTokens());
    return out;
  }
}
