package dev.ossaat.orchestrator.exchange;

/**
 * The API dialects orchestrator speaks, to clients (ingress) and to providers (egress). When a
 * client's format is its provider's, bytes pass through with surgical edits only.
 */
public enum WireFormat {
  /** OpenAI Chat Completions and Embeddings: OpenAI, Mistral, OpenRouter, vLLM, Ollama's /v1. */
  OPENAI("openai"),
  /** Anthropic Messages. */
  ANTHROPIC("anthropic"),
  /** Google's Gemini API ({@code generateContent}); egress only. */
  GEMINI("gemini"),
  /** OpenAI Responses ({@code /v1/responses}): items in, a response object (and its typed events) out. */
  RESPONSES("responses"),
  /** AWS Bedrock's Converse API (egress only: no client speaks it to orchestrator). */
  BEDROCK("bedrock"),
  /** Ollama's native chat API, NDJSON streams (egress only). */
  OLLAMA("ollama");

  private final String label;

  WireFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
