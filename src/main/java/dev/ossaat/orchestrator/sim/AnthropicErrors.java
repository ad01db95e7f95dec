package dev.ossaat.orchestrator.sim;

/** Error bodies in Anthropic's shape: {@code {"type":"error","error":{"type":..,"message":..}}}. */
final class AnthropicErrors {
  static final String INVALID_API_KEY = body("authentication_error", "invalid x-api-key");
  static final String MISSING_VERSION = body("invalid_request_error", "anthropic-version: header is required");
  static final String RATE_LIMITED = body("rate_limit_error", "Number of requests has exceeded your rate limit");
  static final String OVERLOADED = body("overloaded_error", "Overloaded");

  private AnthropicErrors() {}

  /** The body of {@link Fault#ERROR} with this status. */
  static String simulated(int status) {
    return status == 529 ? OVERLOADED : body(type(status), "simulated upstream error");
  }

  /** Anthropic's error type for an HTTP status. */
  static String type(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  static String invalidRequest(String message) {
    return body("invalid_request_error", message);
  }

  static String body(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + SimJson.quote(message) + "}}";
  }
}
