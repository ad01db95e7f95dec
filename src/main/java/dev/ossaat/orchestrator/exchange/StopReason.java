package dev.ossaat.orchestrator.exchange;

/** Why the model stopped, in terms every format can map to. */
public enum StopReason {
  /** A natural end of the turn. */
  END_TURN,
  /** The output limit ({@code max_tokens}) was reached: the answer is truncated. */
  MAX_TOKENS,
  /** One of the request's stop sequences was produced. */
  STOP_SEQUENCE,
  /** The model called a tool and waits for its result. */
  TOOL_USE,
  /** The provider's content filter or the model's refusal ended the answer. */
  CONTENT_FILTER,
  /** A long-running turn paused (Anthropic's {@code pause_turn}). */
  PAUSE
}
