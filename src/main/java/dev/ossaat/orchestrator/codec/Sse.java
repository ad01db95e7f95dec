package dev.ossaat.orchestrator.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Writing and reading single Server-Sent Events. */
public final class Sse {
  private Sse() {}

  /** {@code data: <json>\n\n}. */
  public static Buffer data(JsonNode json) {
    byte[] body = Json.buffer(json).getBytes();
    return Buffer.buffer(body.length + 8).appendString("data: ").appendBytes(body).appendString("\n\n");
  }

  /** {@code event: <type>\ndata: <json>\n\n}. */
  public static Buffer event(String type, JsonNode json) {
    byte[] body = Json.buffer(json).getBytes();
    return Buffer.buffer(body.length + type.length() + 16)
        .appendString("event: ").appendString(type).appendString("\ndata: ").appendBytes(body).appendString("\n\n");
  }

  /** The value of the event's {@code event:} line, or null when it has none. */
  public static String type(Buffer event) {
    int len = event.length();
    int start = 0;
    while (start < len) {
      int end = start;
      while (end < len && event.getByte(end) != '\n') end++;
      if (end - start > 6 && startsWith(event, start, "event:")) {
        int from = start + 6;
        if (from < end && event.getByte(from) == ' ') from++;
        int to = end > from && event.getByte(end - 1) == '\r' ? end - 1 : end;
        return event.getString(from, to, StandardCharsets.UTF_8.name());
      }
      start = end + 1;
    }
    return null;
  }

  private static boolean startsWith(Buffer b, int at, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (b.getByte(at + i) != prefix.charAt(i)) return false;
    }
    return true;
  }
}
