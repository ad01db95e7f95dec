package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import java.time.Duration;
import java.util.List;

/**
 * Every candidate failed, was refused, or could not be tried in time.
 *
 * @param failures every attempt's failure in order; the last names the provider the client is told about
 * @param retryAfter when the client may usefully try again (breakers half-opening, queues draining),
 *     or null
 */
public final class DispatchFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ProviderException> failures;
  private final transient Duration retryAfter;
  private final int calls;

  /** @param calls how many calls actually went out to providers */
  public DispatchFailure(List<ProviderException> failures, Duration retryAfter, int calls) {
    super(failures.get(failures.size() - 1).getMessage(), null, false, false);
    this.failures = List.copyOf(failures);
    this.retryAfter = retryAfter;
    this.calls = calls;
  }

  public ProviderException last() {
    return failures.get(failures.size() - 1);
  }

  public List<ProviderException> failures() {
    return failures;
  }

  /** Calls that actually went out to a provider. */
  public int attempts() {
    return calls;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** Every failure was one of these types. */
  public boolean all(ErrorType... types) {
    List<ErrorType> allowed = List.of(types);
    return failures.stream().allMatch(f -> allowed.contains(f.type()));
  }
}
