package dev.ossaat.orchestrator.exchange;

/** What a provider is asked to do; the value of the latency histogram's {@code operation} label. */
public enum Operation {
  CHAT("chat"),
  CHAT_STREAM("chat_stream"),
  EMBEDDINGS("embeddings"),
  /** Reading or deleting a stored response ({@code /v1/responses/{id}}): never reaches a provider. */
  RESPONSE_LOOKUP("response_lookup");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
