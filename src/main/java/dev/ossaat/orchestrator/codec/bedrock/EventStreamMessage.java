package dev.ossaat.orchestrator.codec.bedrock;

import java.util.Map;

/**
 * One message of AWS's {@code application/vnd.amazon.eventstream} framing: its headers (string
 * values; other header types are read as their text form) and its payload.
 */
public record EventStreamMessage(Map<String, String> headers, byte[] payload) {
  public EventStreamMessage {
    headers = Map.copyOf(headers);
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** {@code :message-type}: {@code event}, {@code exception} or {@code error}. */
  public String messageType() {
    return headers.getOrDefault(":message-type", "event");
  }
}
