package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.exchange.WireFormat;

/** The front doors: which API a request came in through, and so which format it speaks. */
public enum Ingress {
  CHAT_COMPLETIONS(WireFormat.OPENAI, "chat_completions"),
  EMBEDDINGS(WireFormat.OPENAI, "embeddings"),
  MESSAGES(WireFormat.ANTHROPIC, "messages"),
  COUNT_TOKENS(WireFormat.ANTHROPIC, "count_tokens"),
  RESPONSES(WireFormat.RESPONSES, "responses"),
  /** {@code GET /v1/responses/{id}}: a stored response, answered by the gateway itself. */
  RESPONSE_GET(WireFormat.RESPONSES, "responses_get"),
  /** {@code DELETE /v1/responses/{id}}. */
  RESPONSE_DELETE(WireFormat.RESPONSES, "responses_delete");

  private final WireFormat format;
  private final String label;

  Ingress(WireFormat format, String label) {
    this.format = format;
    this.label = label;
  }

  public WireFormat format() {
    return format;
  }

  /** The {@code route} label of {@code orchestrator_http_requests_total}. */
  public String label() {
    return label;
  }
}
