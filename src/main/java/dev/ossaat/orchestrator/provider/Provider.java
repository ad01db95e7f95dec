package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.config.ProviderConfig;
import io.vertx.core.Future;

/**
 * One upstream AI provider behind a wire-format adapter. Requests and answers are in OpenAI's format
 * (the gateway's API); an adapter translates both ways. Failures are {@link ProviderException}s.
 * Each native format (Anthropic, Gemini, Azure, Bedrock) is another implementation in its own
 * sub-package, created in {@link ProviderRegistry} by an exhaustive switch over the config's type.
 * (Not {@code sealed}: the adapters live in sub-packages, which sealing allows only inside a named module.)
 */
public interface Provider {
  String name();

  ProviderConfig config();

  /** A non-streaming chat completion. */
  Future<Completion> complete(ProviderCall call);

  /**
   * A streaming chat completion; succeeds once the provider's first event has arrived (a stream that
   * breaks before it fails, and the request may still fall back).
   */
  Future<ChatStream> stream(ProviderCall call);

  /** An embeddings request. */
  Future<Completion> embed(ProviderCall call);

  /** A cheap call that shows the provider answers and accepts our credential (listing its models). */
  Future<Void> probe(long timeoutMillis);

  /** Stops the connection pool, letting calls in flight finish within {@code grace}. */
  Future<Void> close(java.time.Duration grace);
}
