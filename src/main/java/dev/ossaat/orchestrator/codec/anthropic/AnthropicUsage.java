package dev.ossaat.orchestrator.codec.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.Usage;

/**
 * Anthropic's {@code usage}: {@code input_tokens} excludes the cache reads and writes, which it
 * reports beside it, so the neutral prompt count is the sum of the three.
 */
public final class AnthropicUsage {
  private AnthropicUsage() {}

  /** Null when absent or not an object. Counts absent from a partial report (a stream's parts) are 0. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    long read = usage.path("cache_read_input_tokens").asLong(0);
    long write = usage.path("cache_creation_input_tokens").asLong(0);
    long input = usage.path("input_tokens").asLong(0);
    return new Usage(input + read + write, usage.path("output_tokens").asLong(0), read, write, 0, false);
  }

  static ObjectNode write(Usage u) {
    return Json.object()
        .put("input_tokens", Math.max(0, u.promptTokens() - u.cacheReadTokens() - u.cacheWriteTokens()))
        .put("cache_creation_input_tokens", u.cacheWriteTokens())
        .put("cache_read_input_tokens", u.cacheReadTokens())
        .put("output_tokens", u.completionTokens());
  }
}
