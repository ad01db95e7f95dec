package dev.ossaat.orchestrator.codec;

import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Reads one provider format's SSE events into neutral events, one event at a time. */
public interface StreamDecoder {
  /**
   * @param sseEvent one whole SSE event ({@code event:} and {@code data:} lines and the blank line)
   * @throws CodecException when the event cannot be read
   */
  void decode(Buffer sseEvent, Consumer<StreamEvent> out);
}
