package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.exchange.Usage;

/**
 * Converse's {@code usage}: {@code inputTokens} leaves out the prompt-cache reads and writes, which
 * it reports beside it ({@code cacheReadInputTokens}, {@code cacheWriteInputTokens}), as Anthropic
 * does; the neutral prompt count is the sum of the three.
 */
public final class BedrockUsage {
  private BedrockUsage() {}

  /** Null when absent or not an object. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    long read = usage.path("cacheReadInputTokens").asLong(0);
    long write = usage.path("cacheWriteInputTokens").asLong(0);
    long input = usage.path("inputTokens").asLong(0);
    return new Usage(input + read + write, usage.path("outputTokens").asLong(0), read, write, 0, false);
  }
}
