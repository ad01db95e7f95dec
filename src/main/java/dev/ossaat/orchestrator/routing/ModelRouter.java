package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.RoutingConfig;
import dev.ossaat.orchestrator.exchange.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses, for a requested model, which providers may serve it and in which order: the providers
 * that list the model, plus those that accept any model (with their default model), ordered by the
 * model's strategy. A model nobody lists goes to the most preferred provider unchanged, or is
 * rejected, as {@code routing.unknownModel} says.
 */
public final class ModelRouter {
  private final List<ProviderRegistry.Entry> providers;
  private final RoutingConfig routing;
  private final ProviderStats stats;
  private final Set<String> knownModels = new LinkedHashSet<>();

  /** What the dynamic strategies sort by. */
  public interface ProviderStats {
    int inflight(String provider);

    /** Recent latency; negative when unknown. */
    double latencyNanos(String provider);
  }

  public ModelRouter(ProviderRegistry registry, RoutingConfig routing, ProviderStats stats) {
    this.providers = registry.all();
    this.routing = routing;
    this.stats = stats;
    for (ProviderRegistry.Entry p : providers) knownModels.addAll(p.config().models());
  }

  /**
   * Candidates in the order to try them, among the providers that serve the operation at all; empty
   * when the model is unknown and unknown models are rejected.
   */
  public List<Candidate> candidates(String model, Operation operation) {
    List<ProviderRegistry.Entry> able = providers.stream().filter(p -> p.adapter().supports(operation)).toList();
    List<Candidate> out = new ArrayList<>(able.size());
    for (ProviderRegistry.Entry p : able) {
      ProviderConfig c = p.config();
      if (c.lists(model)) {
        out.add(new Candidate(p.adapter(), c, model));
      } else if (c.acceptAnyModel()) {
        out.add(new Candidate(p.adapter(), c, c.defaultModel()));
      }
    }
    boolean someoneLists = out.stream().anyMatch(cand -> cand.upstreamModel().equals(model));
    if (!someoneLists) {
      if (routing.unknownModel() == RoutingConfig.UnknownModelPolicy.REJECT || able.isEmpty()) return List.of();
      ProviderRegistry.Entry preferred = able.get(0);
      // A preferred provider that accepts any model (the emergency local model) serves it with its own
      // default model: it is first already. Passing it an unknown name would only get a 404.
      if (preferred.config().acceptAnyModel()) return out;
      out.removeIf(cand -> cand.name().equals(preferred.name()));
      out.add(0, new Candidate(preferred.adapter(), preferred.config(), model));
      return out;
    }
    return order(out, routing.strategyFor(model));
  }

  private List<Candidate> order(List<Candidate> candidates, RoutingConfig.Strategy strategy) {
    if (candidates.size() < 2) return candidates;
    return switch (strategy) {
      case PREFERENCE -> candidates;
      case LEAST_INFLIGHT -> sorted(candidates, Comparator.comparingInt(c -> stats.inflight(c.name())));
      case LOWEST_LATENCY -> sorted(candidates, Comparator.comparingDouble(c -> stats.latencyNanos(c.name())));
      case WEIGHTED -> weighted(candidates);
    };
  }

  /** A stable sort: ties keep the preference order. */
  private static List<Candidate> sorted(List<Candidate> candidates, Comparator<Candidate> by) {
    List<Candidate> copy = new ArrayList<>(candidates);
    copy.sort(by);
    return copy;
  }

  /**
   * A random order in which each provider's chance to come first is its share of the total weight
   * (sampling without replacement). Weight-0 providers come last, in preference order: they take no
   * traffic of their own, but remain a fallback, which is how a provider is drained for deprecation.
   */
  private static List<Candidate> weighted(List<Candidate> candidates) {
    List<Candidate> pool = new ArrayList<>();
    List<Candidate> drained = new ArrayList<>();
    for (Candidate c : candidates) (c.config().weight() > 0 ? pool : drained).add(c);
    List<Candidate> out = new ArrayList<>(candidates.size());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!pool.isEmpty()) {
      long total = pool.stream().mapToLong(c -> c.config().weight()).sum();
      long pick = random.nextLong(total);
      for (int i = 0; i < pool.size(); i++) {
        pick -= pool.get(i).config().weight();
        if (pick < 0) {
          out.add(pool.remove(i));
          break;
        }
      }
    }
    out.addAll(drained);
    return out;
  }

  public boolean isKnown(String model) {
    return knownModels.contains(model);
  }

  public boolean hasProviders() {
    return !providers.isEmpty();
  }
}
