package dev.ossaat.orchestrator.exchange;

/**
 * Who speaks a message. System instructions are not a role here: they live beside the messages
 * ({@link ChatRequest#system()}), as Anthropic keeps them; tool results are blocks in a user message.
 */
public enum Role {
  USER,
  ASSISTANT
}
