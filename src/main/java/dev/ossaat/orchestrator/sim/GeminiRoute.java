package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * A Gemini API path: {@code [/<scenario>]/v1[beta]/models/<model>:<method>}, or the model list
 * {@code [/<scenario>]/v1[beta]/models} when the request carries {@code x-goog-api-key} (without it,
 * the list is OpenAI's).
 *
 * @param method {@code generateContent}, {@code streamGenerateContent}, {@code embedContent},
 *     {@code batchEmbedContents}, or null for the model list
 */
record GeminiRoute(String scenario, String model, String method) {
  static final String API_KEY_HEADER = "x-goog-api-key";

  /** The route of a Gemini request, or null when it is not one. */
  static GeminiRoute parse(HttpServerRequest request) {
    String path = request.path();
    String scenario = ApiRoute.DEFAULT_SCENARIO;
    String rest = afterVersion(path);
    if (rest == null) {
      int end = path.indexOf('/', 1);
      if (end <= 1) return null;
      rest = afterVersion(path.substring(end));
      if (rest == null) return null;
      scenario = path.substring(1, end);
    }
    if (rest.equals("models")) {
      return request.method().equals(HttpMethod.GET) && request.getHeader(API_KEY_HEADER) != null
          ? new GeminiRoute(scenario, null, null) : null;
    }
    if (!rest.startsWith("models/")) return null;
    int colon = rest.lastIndexOf(':');
    if (colon < 0) return null;
    String method = rest.substring(colon + 1);
    return switch (method) {
      case "generateContent", "streamGenerateContent", "embedContent", "batchEmbedContents" ->
          new GeminiRoute(scenario, rest.substring("models/".length(), colon), method);
      default -> null;
    };
  }

  private static String afterVersion(String path) {
    if (path.startsWith("/v1beta/")) return path.substring("/v1beta/".length());
    if (path.startsWith("/v1/")) return path.substring("/v1/".length());
    return null;
  }

  boolean isModels() {
    return method == null;
  }

  boolean isEmbeddings() {
    return "embedContent".equals(method) || "batchEmbedContents".equals(method);
  }

  boolean isStream() {
    return "streamGenerateContent".equals(method);
  }

  Endpoint endpoint() {
    return isModels() ? Endpoint.MODELS : isEmbeddings() ? Endpoint.EMBEDDINGS : Endpoint.CHAT_COMPLETIONS;
  }
}
