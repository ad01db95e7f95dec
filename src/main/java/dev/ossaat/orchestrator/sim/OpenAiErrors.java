package dev.ossaat.orchestrator.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/** Error bodies in OpenAI's shape: {@code {"error":{"message":..,"type":..,"code":..}}}. */
final class OpenAiErrors {
  static final String INVALID_API_KEY =
      body("Incorrect API key provided", "invalid_request_error", "invalid_api_key");
  static final String RATE_LIMITED = body("Rate limit reached", "requests", "rate_limit_exceeded");
  private static final String SIMULATED_SERVER_ERROR = body("simulated upstream error", "server_error", null);
  private static final String SIMULATED_CLIENT_ERROR =
      body("simulated upstream error", "invalid_request_error", null);

  private OpenAiErrors() {}

  /** The body of {@link Fault#ERROR}: OpenAI types 4xx errors as the caller's fault, 5xx as its own. */
  static String simulated(int status) {
    return status >= 500 ? SIMULATED_SERVER_ERROR : SIMULATED_CLIENT_ERROR;
  }

  static String invalidRequest(String message) {
    return body(message, "invalid_request_error", null);
  }

  static String unknownUrl(String method, String path) {
    return body("Unknown request URL: " + method + " " + path + ".", "invalid_request_error", "unknown_url");
  }

  static String methodNotAllowed(String method, String path) {
    return body("Method " + method + " is not allowed for " + path + ".", "invalid_request_error", null);
  }

  static String body(String message, String type, String code) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    error.put("code", code);
    return SimJson.write(Map.of("error", error));
  }
}
