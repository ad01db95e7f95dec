package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.Future;

/**
 * One upstream AI provider behind a wire-format adapter, holding the connection pool. Requests
 * arrive in the client's format; the adapter passes them through when it speaks the same format and
 * translates them otherwise. Answers come back in the provider's format ({@link #format()}): turning
 * them into the client's is the encode stage's work. Failures are {@link ProviderException}s.
 */
public interface Provider {
  String name();

  WireFormat format();

  /**
   * The wire format of its answers to this request: {@link #format()}, unless the adapter speaks the
   * client's format natively too (an OpenAI provider with {@code responsesApi: true} answering a
   * Responses client in Responses).
   */
  default WireFormat answerFormat(dev.ossaat.orchestrator.exchange.ClientRequest request,
      dev.ossaat.orchestrator.config.ProviderConfig config) {
    return format();
  }

  /** Whether it serves the operation at all (Anthropic has no embeddings): routing skips it otherwise. */
  boolean supports(Operation operation);

  /** A non-streaming chat completion. */
  Future<Completion> complete(ProviderCall call);

  /**
   * A streaming chat completion; succeeds once the provider's answer has begun (a stream that
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
