package dev.ossaat.orchestrator.sim;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** All scenarios by name; a scenario springs into existence, with the default profile, when first used. */
final class Scenarios {
  private final SimProfile defaultProfile;
  private final ConcurrentMap<String, Scenario> byName = new ConcurrentHashMap<>();

  Scenarios(SimProfile defaultProfile) {
    this.defaultProfile = defaultProfile;
  }

  SimProfile defaultProfile() {
    return defaultProfile;
  }

  Scenario get(String name) {
    return byName.computeIfAbsent(name, unused -> new Scenario(defaultProfile));
  }

  /**
   * Replaces the scenario rather than zeroing its counters one by one, so a reset is atomic for new
   * requests; requests already in flight finish on the discarded state.
   */
  void reset(String name) {
    byName.put(name, new Scenario(defaultProfile));
  }
}
