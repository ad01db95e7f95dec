package dev.ossaat.orchestrator.sim;

/**
 * Which OpenAI-compatible service a scenario imitates, from its name: a scenario named
 * {@code mistral...} answers chat like Mistral, {@code openrouter...} like OpenRouter (see
 * {@link FlavoredChat}); every other scenario is OpenAI. Named, not configured, so a gateway provider
 * called {@code mistral} pointed at scenario {@code mistral} gets Mistral on both sides.
 */
enum SimFlavor {
  OPENAI,
  MISTRAL,
  OPENROUTER;

  /** The flavor of an OpenAI-path request: {@code /<scenario>/v1/...}. */
  static SimFlavor ofPath(String path) {
    if (path.startsWith("/mistral")) return MISTRAL;
    if (path.startsWith("/openrouter")) return OPENROUTER;
    return OPENAI;
  }
}
