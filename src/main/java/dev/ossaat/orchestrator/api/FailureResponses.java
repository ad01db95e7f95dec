package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.routing.DispatchFailure;
import io.vertx.core.buffer.Buffer;

/**
 * What the client is told when no provider could serve its request: the provider's own answer for
 * the client's mistakes, 429 when every provider said "slow down", 504 for a timeout, 502 otherwise,
 * always naming the provider.
 */
final class FailureResponses {
  private FailureResponses() {}

  /** An HTTP status with a body, plus the Retry-After to send, in seconds (or -1). */
  record Answer(int status, Buffer body, long retryAfterSeconds) {}

  static Answer of(DispatchFailure failure) {
    ProviderException last = failure.last();
    ErrorType type = last.type();
    if (!type.tryNextProvider() && last.upstreamBody() != null && last.upstreamStatus() >= 400) {
      return new Answer(last.upstreamStatus(), last.upstreamBody(), -1);
    }
    if (failure.allRateLimited()) {
      long retry = last.retryAfter() == null ? 1 : Math.max(1, (last.retryAfter().toMillis() + 999) / 1000);
      return new Answer(429, new ApiError(429, "rate_limit_error", "rate_limit_exceeded",
          "every provider for this model is rate limiting; last: " + last.getMessage(), null).toBuffer(), retry);
    }
    if (type == ErrorType.TIMEOUT) {
      return new Answer(504, new ApiError(504, "timeout_error", "upstream_timeout",
          "provider " + last.provider() + " timed out: " + last.getMessage(), null).toBuffer(), -1);
    }
    return new Answer(502, new ApiError(502, "upstream_error", type.label(),
        "provider " + last.provider() + " failed: " + last.getMessage(), null).toBuffer(), -1);
  }

  /** The SSE event that ends a stream which broke after it started: never a clean end. */
  static Buffer streamErrorEvent(ProviderException e) {
    String type = e.type() == ErrorType.TIMEOUT ? "timeout_error" : "upstream_error";
    ApiError error = new ApiError(502, type, e.type().label(),
        "provider " + e.provider() + " failed mid-stream: " + e.getMessage(), null);
    return Buffer.buffer("data: " + error.toJson() + "\n\n");
  }
}
