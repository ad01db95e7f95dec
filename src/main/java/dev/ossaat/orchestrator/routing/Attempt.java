package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.resilience.AdmissionQueue;
import dev.ossaat.orchestrator.resilience.ProviderBreaker;
import dev.ossaat.orchestrator.resilience.ProviderGuard;

/**
 * One call of one candidate while it passes its {@link AttemptGuard}s: what the guards took (an
 * admission slot, a breaker permit) stays here until the attempt is over, which for a stream is when
 * the stream ends. Used on the request's event loop only.
 */
final class Attempt {
  final RequestExchange ex;
  final Candidate candidate;
  final ProviderGuard guard;
  final int number;
  final CallControl control = new CallControl();
  AdmissionQueue.Permit slot;
  ProviderBreaker.Permit permit;
  /** Gives up a wait still under way (the client left while queued). */
  Runnable abandon;
  long startNanos;

  Attempt(RequestExchange ex, Candidate candidate, ProviderGuard guard, int number) {
    this.ex = ex;
    this.candidate = candidate;
    this.guard = guard;
    this.number = number;
  }
}
