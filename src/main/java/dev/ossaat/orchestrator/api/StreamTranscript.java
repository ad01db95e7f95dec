package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.provider.SseEventSplitter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what a stream relayed, bounded, so its completion tokens can be estimated if the provider
 * never reports usage (a stream cut short, a client that left). Events are only referenced on the
 * hot path; they are parsed only in the rare case an estimate is needed.
 */
final class StreamTranscript {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_KEPT_BYTES = 64 * 1024;

  private final List<Buffer> kept = new ArrayList<>();
  private int keptBytes;
  private long droppedBytes;

  void add(Buffer event) {
    if (keptBytes + event.length() <= MAX_KEPT_BYTES) {
      kept.add(event);
      keptBytes += event.length();
    } else {
      droppedBytes += event.length();
    }
  }

  /** The relayed completion text, with the size of any part beyond the bound scaled in. */
  Estimate completion() {
    StringBuilder text = new StringBuilder();
    for (Buffer event : kept) {
      String data = SseEventSplitter.data(event);
      if (data == null || !data.startsWith("{")) continue;
      try {
        for (JsonNode choice : JSON.readTree(data).path("choices")) {
          JsonNode content = choice.path("delta").path("content");
          if (content.isTextual()) text.append(content.textValue());
        }
      } catch (IOException e) {
        // a malformed event carried no countable text
      }
    }
    double scale = keptBytes == 0 ? 1 : 1 + (double) droppedBytes / keptBytes;
    return new Estimate(text.toString(), scale);
  }

  /** Text that was kept, and the factor by which the whole stream was larger. */
  record Estimate(String text, double scale) {}
}
