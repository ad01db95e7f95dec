package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.exchange.Usage;

/**
 * Gemini's {@code usageMetadata}: {@code promptTokenCount} includes the cached part
 * ({@code cachedContentTokenCount}) and the tool-use prompt is counted beside it
 * ({@code toolUsePromptTokenCount}); {@code candidatesTokenCount} leaves out the thinking
 * ({@code thoughtsTokenCount}), which is billed as output. The neutral completion count is therefore
 * candidates plus thoughts, with the thoughts as its reasoning part.
 */
public final class GeminiUsage {
  private GeminiUsage() {}

  /** Null when absent or not an object. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    long prompt = usage.path("promptTokenCount").asLong(0) + usage.path("toolUsePromptTokenCount").asLong(0);
    long thoughts = usage.path("thoughtsTokenCount").asLong(0);
    long candidates = usage.path("candidatesTokenCount").asLong(0);
    return new Usage(prompt, candidates + thoughts, usage.path("cachedContentTokenCount").asLong(0), 0, thoughts, false);
  }
}
