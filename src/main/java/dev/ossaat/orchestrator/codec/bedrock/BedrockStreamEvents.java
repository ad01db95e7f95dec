package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import io.vertx.core.buffer.Buffer;

/**
 * ConverseStream's event-stream messages as SSE-shaped events, so the stream reader, the dialect, the
 * decoder and the transcript handle Bedrock like every other format: an event message becomes
 * {@code event: <:event-type>} with its JSON payload as the data line; an exception message
 * {@code event: <:exception-type>} (names ending in {@code Exception}); an error message
 * {@code event: error} with {@code {"code","message"}}.
 */
public final class BedrockStreamEvents {
  private BedrockStreamEvents() {}

  public static Buffer toSse(EventStreamMessage m) {
    String type = switch (m.messageType()) {
      case "exception" -> m.headers().getOrDefault(":exception-type", "UnknownException");
      case "error" -> "error";
      default -> m.headers().getOrDefault(":event-type", "unknown");
    };
    if (m.messageType().equals("error")) {
      ObjectNode error = Json.object().put("code", m.headers().getOrDefault(":error-code", "UnknownError"))
          .put("message", m.headers().getOrDefault(":error-message", ""));
      return Sse.event("error", error);
    }
    byte[] payload = m.payload();
    Buffer out = Buffer.buffer(payload.length + type.length() + 16)
        .appendString("event: ").appendString(type).appendString("\ndata: ");
    // JSON allows no raw line breaks inside strings: outside them they are whitespace, so a payload
    // stays one data line with each break as a space.
    for (byte b : payload) out.appendByte(b == '\n' || b == '\r' ? (byte) ' ' : b);
    if (payload.length == 0) out.appendString("{}");
    return out.appendString("\n\n");
  }

  /** Whether an event is an exception ({@code event:} names ending in {@code Exception}). */
  public static boolean isException(String type) {
    return type != null && type.endsWith("Exception");
  }
}
