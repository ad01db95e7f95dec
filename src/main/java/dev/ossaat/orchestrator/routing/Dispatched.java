package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.resilience.ProviderBreaker;

/**
 * The attempt that succeeded.
 *
 * @param attempts calls made for this request, this one included
 * @param startNanos when this attempt started (its latency is measured from here)
 * @param control the attempt's control, to cancel it later (a stream the client leaves)
 * @param releaseSlot exits the attempt's guards (gives the admission slot back, and a breaker permit
 *     nobody settled); a stream holds them until it ends, and calls it after recording its outcome
 * @param breakerPermit where a stream reports its outcome when it ends
 */
public record Dispatched<T>(T value, Candidate candidate, int attempts, long startNanos, CallControl control,
    Runnable releaseSlot, ProviderBreaker.Permit breakerPermit) {}
