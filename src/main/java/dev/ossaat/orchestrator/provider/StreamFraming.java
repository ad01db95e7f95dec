package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.codec.SseEventSplitter;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * How a provider's stream body is cut into events, whatever the TCP chunking: Server-Sent Events
 * for most providers; a binary framing (Bedrock's event stream) or NDJSON rendered as the same
 * SSE-shaped events, so dialects, decoders and transcripts read one event shape. One per stream.
 */
@FunctionalInterface
public interface StreamFraming {
  /**
   * Feeds bytes; calls {@code onEvent} for every whole event.
   *
   * @throws IllegalStateException when an event grows beyond the framing's bound
   * @throws RuntimeException when the bytes cannot be framed (the stream is broken)
   */
  void feed(Buffer chunk, Consumer<Buffer> onEvent);

  static StreamFraming sse() {
    return new SseEventSplitter()::feed;
  }
}
