package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpMethod;

/** The OpenAI endpoints the simulator serves, by their path below {@code /v1/}. */
enum Endpoint {
  CHAT_COMPLETIONS("chat/completions", HttpMethod.POST),
  EMBEDDINGS("embeddings", HttpMethod.POST),
  MODELS("models", HttpMethod.GET);

  private final String path;
  private final HttpMethod method;

  Endpoint(String path, HttpMethod method) {
    this.path = path;
    this.method = method;
  }

  HttpMethod method() {
    return method;
  }

  /** Only the inference endpoints take a body and get faults; the model list stays reachable for discovery. */
  boolean isInference() {
    return this != MODELS;
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
