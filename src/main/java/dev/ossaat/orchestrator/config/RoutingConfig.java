package dev.ossaat.orchestrator.config;

import java.util.List;

/**
 * @param preference provider names in the order they are tried; providers not named follow in the
 *     order of the config file
 * @param unknownModel what happens to a model that no provider lists
 */
public record RoutingConfig(List<String> preference, UnknownModelPolicy unknownModel) {
  public RoutingConfig {
    preference = List.copyOf(preference);
  }

  /** What to do with a request for a model that no provider lists. */
  public enum UnknownModelPolicy {
    /** Send it, model name unchanged, to the most preferred provider. */
    PREFERRED,
    /** Answer 404 model_not_found. */
    REJECT
  }
}
