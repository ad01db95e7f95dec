package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Google's error body, {@code {"error":{"code","message","status","details":[...]}}}: its canonical
 * {@code status} (INVALID_ARGUMENT, PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNAVAILABLE, ...), the
 * {@code reason} of an {@code ErrorInfo} detail (API_KEY_INVALID comes as a 400) and the
 * {@code retryDelay} of a {@code RetryInfo} detail ({@code "7s"}, {@code "1.5s"}).
 */
public final class GeminiErrors {
  /** What the body says; any part may be null. */
  public record Detail(String status, String reason, Duration retryDelay, String message) {}

  private GeminiErrors() {}

  /** Null when the body is not Google's error shape. */
  public static Detail read(Buffer body) {
    if (body == null || body.length() == 0 || body.length() > 65536) return null;
    JsonNode error;
    try {
      error = Json.parseObject(body).get("error");
    } catch (RuntimeException notJson) {
      return null;
    }
    return error == null || !error.isObject() ? null : read(error);
  }

  /** The {@code error} object itself (a stream's error event carries one too). */
  public static Detail read(JsonNode error) {
    String reason = null;
    Duration delay = null;
    for (JsonNode d : error.path("details")) {
      String type = d.path("@type").asText("");
      if (type.endsWith("google.rpc.ErrorInfo") && d.path("reason").isTextual()) reason = d.get("reason").textValue();
      if (type.endsWith("google.rpc.RetryInfo")) delay = duration(d.path("retryDelay").asText(null));
    }
    return new Detail(error.path("status").asText(null), reason, delay, error.path("message").asText(null));
  }

  /** A protobuf Duration in JSON: decimal seconds with an {@code s}. */
  static Duration duration(String text) {
    if (text == null || !text.endsWith("s")) return null;
    try {
      double seconds = Double.parseDouble(text.substring(0, text.length() - 1));
      return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
