package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.routing.DispatchFailure;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * What the client is told when no provider could serve its request: the provider's own answer for
 * the client's mistakes; 503 at once when every provider's circuit breaker is open; 429 when every
 * provider was throttling or full; 504 for a timeout; 502 otherwise. Always naming the provider,
 * always with {@code Retry-After} when waiting would help.
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
    if (failure.all(ErrorType.CIRCUIT_OPEN)) {
      String open = failure.failures().stream().map(ProviderException::provider).distinct().collect(Collectors.joining(", "));
      return new Answer(503, new ApiError(503, "service_unavailable", "all_providers_down",
          "every provider for this model is unavailable: circuit breaker open for " + open, null).toBuffer(),
          seconds(failure.retryAfter()));
    }
    if (failure.all(ErrorType.RATE_LIMIT, ErrorType.OVERLOADED, ErrorType.CIRCUIT_OPEN)) {
      return new Answer(429, new ApiError(429, "rate_limit_error", "rate_limit_exceeded",
          "every provider for this model is rate limiting or at capacity; last: " + last.getMessage(), null).toBuffer(),
          seconds(failure.retryAfter()));
    }
    if (type == ErrorType.TIMEOUT) {
      return new Answer(504, new ApiError(504, "timeout_error", "upstream_timeout",
          "provider " + last.provider() + " timed out: " + last.getMessage(), null).toBuffer(), -1);
    }
    return new Answer(502, new ApiError(502, "upstream_error", type.label(),
        "provider " + last.provider() + " failed: " + last.getMessage(), null).toBuffer(), -1);
  }

  private static long seconds(Duration d) {
    return d == null ? 1 : Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** The SSE event that ends a stream which broke after it started: never a clean end. */
  static Buffer streamErrorEvent(ProviderException e) {
    String type = e.type() == ErrorType.TIMEOUT ? "timeout_error" : "upstream_error";
    ApiError error = new ApiError(502, type, e.type().label(),
        "provider " + e.provider() + " failed mid-stream: " + e.getMessage(), null);
    return Buffer.buffer("data: " + error.toJson() + "\n\n");
  }
}
