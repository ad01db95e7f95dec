package dev.ossaat.orchestrator.codec.openai;

import dev.ossaat.orchestrator.exchange.StopReason;

/** {@code finish_reason} and the neutral stop reasons. */
final class OpenAiStops {
  private OpenAiStops() {}

  static StopReason read(String finishReason) {
    if (finishReason == null) return null;
    return switch (finishReason) {
      case "length" -> StopReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "content_filter" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN;
    };
  }

  static String write(StopReason reason) {
    if (reason == null) return "stop";
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE, PAUSE -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
    };
  }
}
