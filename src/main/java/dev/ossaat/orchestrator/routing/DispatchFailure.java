package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.ProviderException;

/**
 * Every candidate failed (or none could be tried in time).
 *
 * @param last the last attempt's failure, whose provider the client is told about
 * @param allRateLimited every attempt was refused with 429, so the client should back off
 */
public final class DispatchFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ProviderException last;
  private final int attempts;
  private final boolean allRateLimited;

  public DispatchFailure(ProviderException last, int attempts, boolean allRateLimited) {
    super(last.getMessage(), null, false, false);
    this.last = last;
    this.attempts = attempts;
    this.allRateLimited = allRateLimited;
  }

  public ProviderException last() {
    return last;
  }

  public int attempts() {
    return attempts;
  }

  public boolean allRateLimited() {
    return allRateLimited;
  }
}
