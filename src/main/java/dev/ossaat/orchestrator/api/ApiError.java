package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * An error answered in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, so
 * every OpenAI client library surfaces it properly. Messages never carry stack traces or secrets.
 */
public record ApiError(int status, String type, String code, String message, String param) {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  public Buffer toBuffer() {
    return Buffer.buffer(toJson().toString());
  }

  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }
}
