package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.Provider;

/** A provider that may serve a request, and the model name to ask it for. */
public record Candidate(Provider provider, String upstreamModel) {
  public String name() {
    return provider.name();
  }
}
