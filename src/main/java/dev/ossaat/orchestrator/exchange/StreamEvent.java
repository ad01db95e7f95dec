package dev.ossaat.orchestrator.exchange;

/**
 * One step of a streamed answer in neutral form: what a provider's stream decoder emits and a
 * client's stream encoder consumes, event by event. Blocks are numbered by {@code index} in the order
 * they start; a block's deltas come between its start and its stop. Usage is not an event: the
 * provider's stream reader reports it beside the events (it may arrive in parts), and the encoder
 * is given the total when the stream ends.
 */
public sealed interface StreamEvent {
  /** The answer begins. */
  record MessageStart(String id, String model) implements StreamEvent {}

  /** A block begins; {@code toolCallId} and {@code toolName} are set for tool calls only. */
  record BlockStart(int index, ContentBlock.Kind kind, String toolCallId, String toolName) implements StreamEvent {}

  record TextDelta(int index, String text) implements StreamEvent {}

  /** A fragment of a tool call's JSON arguments; the fragments of one call concatenate to its input. */
  record ToolArgumentsDelta(int index, String partialJson) implements StreamEvent {}

  record ReasoningDelta(int index, String text) implements StreamEvent {}

  /** The signature of a reasoning block (Anthropic sends it once, at the block's end). */
  record SignatureDelta(int index, String signature) implements StreamEvent {}

  /** Encrypted reasoning, whole. */
  record RedactedReasoning(int index, String data) implements StreamEvent {}

  record BlockStop(int index) implements StreamEvent {}

  /** Why the answer stopped; the last event before the end. */
  record MessageStop(StopReason reason, String stopSequence) implements StreamEvent {}
}
