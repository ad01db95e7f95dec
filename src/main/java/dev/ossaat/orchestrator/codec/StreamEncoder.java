package dev.ossaat.orchestrator.codec;

import dev.ossaat.orchestrator.exchange.StreamEvent;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Renders neutral stream events as one client format's SSE events, incrementally: each event is
 * written as soon as it is known; only the little state the format needs (block numbering, a held
 * stop reason) is kept. One instance per stream, used on one event loop.
 */
public interface StreamEncoder {
  void encode(StreamEvent event, Consumer<Buffer> out);

  /**
   * The stream ended cleanly: writes the closing events (the usage report, the end of the message)
   * but not the format's end marker ({@link ChatCodec#streamEnd()}).
   *
   * @param usage the provider's total usage, or null when it reported none
   */
  void finish(Usage usage, Consumer<Buffer> out);
}
