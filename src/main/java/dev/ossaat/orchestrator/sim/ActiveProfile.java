package dev.ossaat.orchestrator.sim;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A profile as configured on a scenario: the profile, its pre-rendered bodies (both formats) and what is left
 * of its fault budget. Configuring a scenario replaces the whole object, so a new {@code faultCount} starts
 * afresh.
 */
final class ActiveProfile {
  private final SimProfile profile;
  private final ResponseBodies bodies;
  private final AnthropicBodies anthropicBodies;
  private final GeminiBodies geminiBodies;
  private final AtomicInteger faultsLeft;

  ActiveProfile(SimProfile profile) {
    this.profile = profile;
    this.bodies = new ResponseBodies(profile);
    this.anthropicBodies = new AnthropicBodies(profile);
    this.geminiBodies = new GeminiBodies(profile);
    this.faultsLeft = new AtomicInteger(profile.faultCount());
  }

  SimProfile profile() {
    return profile;
  }

  ResponseBodies bodies() {
    return bodies;
  }

  AnthropicBodies anthropicBodies() {
    return anthropicBodies;
  }

  GeminiBodies geminiBodies() {
    return geminiBodies;
  }

  /**
   * Decides whether one request gets the fault. The budget is spent only by requests the fault is applied
   * to, and atomically, so concurrent requests never get more than {@code faultCount} faults.
   */
  Fault drawFault() {
    Fault fault = profile.fault();
    if (fault == Fault.NONE || !rolled()) {
      return Fault.NONE;
    }
    if (profile.faultCount() < 0) {
      return fault;
    }
    return faultsLeft.getAndUpdate(left -> Math.max(left - 1, 0)) > 0 ? fault : Fault.NONE;
  }

  /** Delay before the response headers: the latency plus a uniform 0..jitterMs. */
  long headerDelayMs() {
    int jitter = profile.jitterMs();
    return profile.latencyMs() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextInt(jitter + 1));
  }

  private boolean rolled() {
    double rate = profile.faultRate();
    return rate >= 1.0 || ThreadLocalRandom.current().nextDouble() < rate;
  }
}
