package dev.ossaat.orchestrator.sim;

/**
 * Error bodies in Google's shape, {@code {"error":{"code","message","status","details"}}}, as the
 * Gemini API sends them: a bad key is a 400 with an {@code ErrorInfo} reason {@code API_KEY_INVALID},
 * a missing one a 403, a quota a 429 with a {@code RetryInfo} delay.
 */
final class GeminiErrorBodies {
  static final String API_KEY_INVALID = body(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT",
      "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}");
  static final String UNREGISTERED = body(403, "Method doesn't allow unregistered callers (callers without established "
      + "identity). Please use API Key or other form of API consumer identity to call this API.", "PERMISSION_DENIED", null);
  static final String KEY_IN_URL = body(400, "the simulator refuses an API key in the URL: send it in x-goog-api-key",
      "INVALID_ARGUMENT", null);
  static final String OVERLOADED = body(503, "The model is overloaded. Please try again later.", "UNAVAILABLE", null);

  private GeminiErrorBodies() {}

  /** The 429 of {@link Fault#RATE_LIMIT}, with a RetryInfo delay when the profile sets one. */
  static String rateLimited(SimProfile profile) {
    String delay = null;
    if (profile.retryAfterMs() != null) delay = (profile.retryAfterMs() / 1000.0) + "s";
    else if (profile.retryAfterSeconds() != null) delay = profile.retryAfterSeconds() + "s";
    String details = "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
        + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\"}]}"
        + (delay == null ? "" : ",{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + delay + "\"}");
    return "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and billing details.\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[" + details + "]}}";
  }

  /** The body of {@link Fault#ERROR} with this status. */
  static String simulated(int status) {
    return status == 503 ? OVERLOADED : body(status, "simulated upstream error", status(status), null);
  }

  static String invalidArgument(String message) {
    return body(400, message, "INVALID_ARGUMENT", null);
  }

  static String status(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }

  static String body(int code, String message, String status, String detail) {
    return "{\"error\":{\"code\":" + code + ",\"message\":" + SimJson.quote(message) + ",\"status\":\"" + status + "\""
        + (detail == null ? "" : ",\"details\":[" + detail + "]") + "}}";
  }
}
