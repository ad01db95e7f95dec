package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Receives a provider's stream, translated to OpenAI's SSE events. Exactly one of {@link #end} and
 * {@link #fail} is called last.
 */
public interface StreamSink {
  /** One complete SSE event ({@code data: {...}\n\n}), in OpenAI's chunk format. */
  void event(Buffer sseEvent);

  /**
   * The events given since the last flush may go out now: called after each read from the provider,
   * so events that arrived together leave in one write (one syscall) without waiting for more.
   */
  default void flush() {}

  /** The provider's usage report, whenever it arrives (usually just before the end). */
  void usage(Usage usage);

  /** The provider finished cleanly (its end marker was seen). */
  void end();

  /** The stream broke: cut, reset, idle too long. */
  void fail(ProviderException error);
}
