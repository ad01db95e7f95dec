package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;

/** The error event that ends a stream which broke after it started: never a clean end. */
public final class StreamFailure {
  private StreamFailure() {}

  public static ApiError of(ProviderException e) {
    String type = e.type() == ErrorType.TIMEOUT ? "timeout_error"
        : e.type() == ErrorType.PROVIDER_OVERLOADED ? "overloaded_error" : "upstream_error";
    int status = e.type() == ErrorType.PROVIDER_OVERLOADED ? 529 : e.type() == ErrorType.TIMEOUT ? 504 : 502;
    return new ApiError(status, type, e.type().label(), "provider " + e.provider() + " failed mid-stream: " + e.getMessage(), null);
  }
}
