package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.RoutingConfig;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses, for a requested model, which providers may serve it and in which order: the providers
 * that list the model, plus those that accept any model (with their default model), in preference
 * order. A model nobody lists goes to the most preferred provider unchanged, or is rejected,
 * as {@code routing.unknownModel} says.
 */
public final class ModelRouter {
  private final List<Provider> providers;
  private final RoutingConfig.UnknownModelPolicy unknownModel;
  private final Set<String> knownModels = new LinkedHashSet<>();

  public ModelRouter(ProviderRegistry registry, RoutingConfig routing) {
    this.providers = registry.all();
    this.unknownModel = routing.unknownModel();
    for (Provider p : providers) knownModels.addAll(p.config().models());
  }

  /** Candidates in the order to try them; empty when the model is unknown and unknown models are rejected. */
  public List<Candidate> candidates(String model) {
    List<Candidate> out = new ArrayList<>(providers.size());
    for (Provider p : providers) {
      ProviderConfig c = p.config();
      if (c.lists(model)) {
        out.add(new Candidate(p, model));
      } else if (c.acceptAnyModel()) {
        out.add(new Candidate(p, c.defaultModel()));
      }
    }
    boolean someoneLists = out.stream().anyMatch(cand -> cand.upstreamModel().equals(model));
    if (!someoneLists && unknownModel == RoutingConfig.UnknownModelPolicy.PREFERRED && !providers.isEmpty()) {
      Provider preferred = providers.get(0);
      out.removeIf(cand -> cand.provider() == preferred);
      out.add(0, new Candidate(preferred, model));
    }
    if (!someoneLists && unknownModel == RoutingConfig.UnknownModelPolicy.REJECT) return List.of();
    return out;
  }

  public boolean isKnown(String model) {
    return knownModels.contains(model);
  }

  public boolean hasProviders() {
    return !providers.isEmpty();
  }
}
