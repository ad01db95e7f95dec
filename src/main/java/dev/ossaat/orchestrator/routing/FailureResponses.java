package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * What the client is told when no provider could serve its request: the provider's own answer for
 * the client's mistakes (as sent when the client speaks the provider's format, re-worded in the
 * client's otherwise); 503 at once when every provider's circuit breaker is open; 429 when every
 * provider was throttling or full; otherwise the status the {@link dev.ossaat.orchestrator.provider.ErrorPolicy}
 * table gives the last failure (504 for a timeout, 500 for the gateway's own fault, 502 else).
 * Always naming the provider, always with {@code Retry-After} when waiting would help.
 */
final class FailureResponses {
  private FailureResponses() {}

  static Reply of(DispatchFailure failure, WireFormat clientFormat) {
    ProviderException last = failure.last();
    ErrorType type = last.type();
    if (!type.tryNextProvider() && last.upstreamBody() != null && last.upstreamStatus() >= 400) {
      if (last.upstreamFormat() == clientFormat) return new Reply.Answer(last.upstreamStatus(), last.upstreamBody());
      // The provider's own (redacted) words, in the client's error shape.
      return new Reply.Failure(new ApiError(last.upstreamStatus(), "invalid_request_error", type.label(), last.getMessage(), null));
    }
    if (failure.all(ErrorType.CIRCUIT_OPEN)) {
      String open = failure.failures().stream().map(ProviderException::provider).distinct().collect(Collectors.joining(", "));
      return new Reply.Failure(new ApiError(503, "service_unavailable", "all_providers_down",
          "every provider for this model is unavailable: circuit breaker open for " + open, null),
          millis(failure.retryAfter()));
    }
    if (failure.all(ErrorType.RATE_LIMIT, ErrorType.OVERLOADED, ErrorType.CIRCUIT_OPEN)) {
      return new Reply.Failure(new ApiError(429, "rate_limit_error", "rate_limit_exceeded",
          "every provider for this model is rate limiting or at capacity; last: " + last.getMessage(), null),
          millis(failure.retryAfter()));
    }
    int status = type.policy().clientStatus();
    return switch (type) {
      case TIMEOUT -> new Reply.Failure(new ApiError(504, "timeout_error", "upstream_timeout",
          "provider " + last.provider() + " timed out: " + last.getMessage(), null));
      case INTERNAL -> new Reply.Failure(new ApiError(500, "server_error", "internal_error",
          "orchestrator could not complete the request: " + last.getMessage(), null));
      case CANCELLED -> new Reply.Failure(new ApiError(499, "cancelled", "client_closed_request", "client disconnected", null));
      case BAD_REQUEST, NOT_FOUND -> new Reply.Failure(new ApiError(status, "invalid_request_error", type.label(),
          last.getMessage(), null));
      default -> new Reply.Failure(new ApiError(status == 429 || status == 503 ? status : 502, "upstream_error", type.label(),
          "provider " + last.provider() + " failed: " + last.getMessage(), null),
          status == 429 || status == 503 ? millis(failure.retryAfter()) : -1);
    };
  }

  /** The hint in milliseconds; at least one second when there is none (waiting a moment always helps here). */
  private static long millis(Duration d) {
    return d == null ? 1000 : Math.max(1, d.toMillis());
  }
}
