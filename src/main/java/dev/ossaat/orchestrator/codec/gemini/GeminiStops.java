package dev.ossaat.orchestrator.codec.gemini;

import dev.ossaat.orchestrator.exchange.StopReason;

/**
 * Gemini's {@code finishReason}. It reports {@code STOP} for a stop sequence too, without saying
 * which; a candidate with a function call ends in {@code STOP} as well, so the caller decides
 * {@link StopReason#TOOL_USE} from the parts. Every safety-like reason is a content filter.
 */
final class GeminiStops {
  private GeminiStops() {}

  static StopReason read(String finishReason) {
    if (finishReason == null) return null;
    return switch (finishReason) {
      case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
      case "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN; // STOP, LANGUAGE, OTHER, MALFORMED_FUNCTION_CALL, ...
    };
  }
}
