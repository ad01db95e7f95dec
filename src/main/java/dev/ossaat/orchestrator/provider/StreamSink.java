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

  /** The provider's usage report, whenever it arrives (usually just before the end). */
  void usage(Usage usage);

  /** The provider finished cleanly (its end marker was seen). */
  void end();

  /** The stream broke: cut, reset, idle too long. */
  void fail(ProviderException error);
}
