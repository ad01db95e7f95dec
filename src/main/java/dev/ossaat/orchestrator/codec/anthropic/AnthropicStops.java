package dev.ossaat.orchestrator.codec.anthropic;

import dev.ossaat.orchestrator.exchange.StopReason;

/** {@code stop_reason} and the neutral stop reasons. */
final class AnthropicStops {
  private AnthropicStops() {}

  static StopReason read(String stopReason) {
    if (stopReason == null) return null;
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      case "stop_sequence" -> StopReason.STOP_SEQUENCE;
      case "tool_use" -> StopReason.TOOL_USE;
      case "refusal" -> StopReason.CONTENT_FILTER;
      case "pause_turn" -> StopReason.PAUSE;
      default -> StopReason.END_TURN;
    };
  }

  static String write(StopReason reason) {
    if (reason == null) return "end_turn";
    return switch (reason) {
      case END_TURN -> "end_turn";
      case MAX_TOKENS -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case TOOL_USE -> "tool_use";
      case CONTENT_FILTER -> "refusal";
      case PAUSE -> "pause_turn";
    };
  }
}
