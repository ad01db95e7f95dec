package dev.ossaat.orchestrator.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How to generate. Every field is null (or empty) when the client did not set it, so an encoder
 * sends only what was asked for.
 *
 * @param thinking Anthropic's {@code thinking} object ({@code {"type":"enabled","budget_tokens":N}})
 * @param reasoningEffort OpenAI's {@code reasoning_effort} (low, medium, high)
 * @param responseFormat OpenAI's {@code response_format}
 * @param endUser the end user the client names for abuse tracking (OpenAI {@code user},
 *     Anthropic {@code metadata.user_id})
 */
public record GenerationParams(Integer maxTokens, Double temperature, Double topP, Integer topK, List<String> stop,
    Long seed, JsonNode thinking, String reasoningEffort, JsonNode responseFormat, String endUser) {
  public GenerationParams {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }
}
