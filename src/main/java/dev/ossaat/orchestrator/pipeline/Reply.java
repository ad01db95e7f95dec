package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import io.vertx.core.buffer.Buffer;

/**
 * What the stages pass back up the pipeline. Dispatch yields the provider's answer in the provider's
 * format ({@link Upstream}, {@link UpstreamStream}); the encode stage turns it into the client's
 * ({@link Answer}, {@link Events}); any stage may refuse with a {@link Failure}, which the responder
 * renders in the client's format.
 */
public sealed interface Reply {
  /** A whole body in the client's format. */
  record Answer(int status, Buffer body) implements Reply {}

  /**
   * An error answer.
   *
   * @param retryAfterMillis when the client may usefully try again (sent as {@code Retry-After} in
   *     whole seconds, rounded up, and {@code retry-after-ms}), or -1
   */
  record Failure(ApiError error, long retryAfterMillis) implements Reply {
    public Failure(ApiError error) {
      this(error, -1);
    }
  }

  /** A stream in the client's format; {@code endMarker} follows its last event on a clean end. */
  record Events(ChatStream stream, Buffer endMarker) implements Reply {}

  /** A whole answer as the provider sent it. */
  record Upstream(Completion completion) implements Reply {}

  /** A stream as the provider sends it, already committed to that provider. */
  record UpstreamStream(ChatStream stream, WireFormat format) implements Reply {}
}
