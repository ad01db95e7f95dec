package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Receives a provider's stream, event by event, in the provider's wire format. Exactly one of
 * {@link #end} and {@link #fail} is called last.
 */
public interface StreamSink {
  /** One complete SSE event, as the provider sent it. */
  void event(Buffer sseEvent);

  /**
   * The events given since the last flush may go out now: called after each read from the provider,
   * so events that arrived together leave in one write (one syscall) without waiting for more.
   */
  default void flush() {}

  /** The provider's usage so far (the parts of a split report already merged), whenever it arrives. */
  void usage(Usage usage);

  /** The provider finished cleanly (its end marker was seen). */
  void end();

  /** The stream broke: cut, reset, idle too long, an error event. */
  void fail(ProviderException error);
}
