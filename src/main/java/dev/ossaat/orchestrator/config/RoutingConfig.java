package dev.ossaat.orchestrator.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * @param preference provider names in the order they are tried; providers not named follow in the
 *     order of the config file
 * @param unknownModel what happens to a model that no provider lists
 * @param strategy how candidates are ordered, unless the model has its own in {@code models}
 * @param models per-model strategy ({@code routing.models.<model>.strategy})
 */
public record RoutingConfig(List<String> preference, UnknownModelPolicy unknownModel, Strategy strategy,
    Map<String, Strategy> models, boolean shouldRetryHeader) {
  public RoutingConfig {
    preference = List.copyOf(preference);
    models = Map.copyOf(models);
  }

  public Strategy strategyFor(String model) {
    return models.getOrDefault(model, strategy);
  }

  /** What to do with a request for a model that no provider lists. */
  public enum UnknownModelPolicy {
    /** Send it, model name unchanged, to the most preferred provider. */
    PREFERRED,
    /** Answer 404 model_not_found. */
    REJECT
  }

  /** How the candidates for a model are ordered before they are tried. */
  public enum Strategy {
    /** The preference order. */
    PREFERENCE,
    /** A random order drawn by {@code weight} (weight 0: never first; used only as a fallback). */
    WEIGHTED,
    /** Fewest calls in flight first. */
    LEAST_INFLIGHT,
    /** Lowest recent latency (exponentially weighted moving average) first. */
    LOWEST_LATENCY;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Strategy parse(String key, String text) {
      for (Strategy s : values()) {
        if (s.label().equals(text.toLowerCase(Locale.ROOT).replace('-', '_'))) return s;
      }
      throw new ConfigException(key, "expected preference, weighted, least_inflight or lowest_latency, got '" + text + "'");
    }
  }
}
