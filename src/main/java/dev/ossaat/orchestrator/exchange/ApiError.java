package dev.ossaat.orchestrator.exchange;

/**
 * An error the gateway answers with, in neutral form; the client's codec renders it in the client's
 * format (OpenAI's {@code {"error":{...}}}, Anthropic's {@code {"type":"error","error":{...}}}).
 * Messages never carry stack traces or secrets.
 *
 * @param type the error class in OpenAI's vocabulary ({@code invalid_request_error},
 *     {@code rate_limit_error}, ...); other codecs map it, with the status, to their own
 * @param code a stable machine-readable code ({@code model_not_found}, {@code all_providers_down}), or null
 * @param param the request field at fault, or null
 */
public record ApiError(int status, String type, String code, String message, String param) {
  public static ApiError invalidRequest(String message, String param) {
    return new ApiError(400, "invalid_request_error", "invalid_request", message, param);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, "invalid_request_error", code, message, null);
  }

  public static ApiError tooLarge(int limit) {
    return new ApiError(413, "invalid_request_error", "request_too_large",
        "request body is larger than the limit of " + limit + " bytes", null);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "service_unavailable", "no_provider_available", message, null);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "server_error", "internal_error", message, null);
  }
}
