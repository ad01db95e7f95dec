package dev.ossaat.orchestrator.codec.bedrock;

import dev.ossaat.orchestrator.exchange.StopReason;

/** Converse's {@code stopReason} as a neutral stop reason. */
final class BedrockStops {
  private BedrockStops() {}

  static StopReason read(String stopReason) {
    if (stopReason == null) return null;
    return switch (stopReason) {
      case "tool_use" -> StopReason.TOOL_USE;
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      case "stop_sequence" -> StopReason.STOP_SEQUENCE;
      // A guardrail or the model's own filter ended the answer: a content-filter result, never a plain end.
      case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN;
    };
  }
}
