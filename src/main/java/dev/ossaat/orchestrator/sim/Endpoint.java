package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpMethod;

/**
 * The endpoints the simulator serves, by their path below {@code /v1/}: OpenAI's chat completions and
 * embeddings, Anthropic's messages and token counting, and the model list both share.
 */
enum Endpoint {
  CHAT_COMPLETIONS("chat/completions", HttpMethod.POST),
  EMBEDDINGS("embeddings", HttpMethod.POST),
  MODELS("models", HttpMethod.GET),
  MESSAGES("messages", HttpMethod.POST),
  COUNT_TOKENS("messages/count_tokens", HttpMethod.POST),
  /** OpenAI's Responses API (see {@link ResponsesHandler}). */
  RESPONSES("responses", HttpMethod.POST),
  /** Bedrock's Converse and ConverseStream ({@link BedrockHandler} routes them; no /v1 path names them). */
  CONVERSE("model/{modelId}/converse", HttpMethod.POST),
  /** Bedrock's control-plane model list (the probe) and the simulated STS, routed by {@link BedrockHandler}. */
  FOUNDATION_MODELS("foundation-models/{bedrock}", HttpMethod.GET),
  STS("sts/{bedrock}", HttpMethod.POST);

  private final String path;
  private final HttpMethod method;

  Endpoint(String path, HttpMethod method) {
    this.path = path;
    this.method = method;
  }

  HttpMethod method() {
    return method;
  }

  /**
   * Only the inference endpoints get faults; the model list stays reachable for discovery and token counting
   * for budgeting.
   */
  boolean isInference() {
    return this == CHAT_COMPLETIONS || this == EMBEDDINGS || this == MESSAGES || this == RESPONSES || this == CONVERSE;
  }

  /** The endpoints that take a JSON body (and whose requests the last-request echo keeps). */
  boolean hasBody() {
    return method.equals(HttpMethod.POST);
  }

  /** The Anthropic-only endpoints; the model list is Anthropic's when the request says so by its headers. */
  boolean isAnthropic() {
    return this == MESSAGES || this == COUNT_TOKENS;
  }

  /** The endpoint at {@code path} (below {@code /v1/}), or null. */
  static Endpoint byPath(String path) {
    for (Endpoint endpoint : values()) {
      if (endpoint.path.equals(path)) {
        return endpoint;
      }
    }
    return null;
  }
}
