package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.provider.Provider;

/** A provider that may serve a request, its settings of this config version, and the model name to ask it for. */
public record Candidate(Provider provider, ProviderConfig config, String upstreamModel) {
  public String name() {
    return config.name();
  }
}
