package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.provider.openai.OpenAiCompatibleProvider;
import dev.ossaat.orchestrator.telemetry.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The adapters of every routable provider, in preference order, each with its own connection pool. */
public final class ProviderRegistry {
  private final Map<String, Provider> providers = new LinkedHashMap<>();

  /**
   * Builds the adapters for a config; with {@code previous} (a reload), a provider whose config did not
   * change at all keeps its adapter and connection pool.
   */
  public ProviderRegistry(Vertx vertx, OrchestratorConfig config, Redactor redactor, ProviderRegistry previous) {
    for (ProviderConfig p : config.routableProviders()) {
      Provider kept = previous == null ? null : previous.providers.get(p.name());
      providers.put(p.name(), kept != null && kept.config().equals(p) ? kept : create(vertx, p, redactor));
    }
  }

  /** Closes the adapters of {@code previous} that this registry no longer uses, after their calls finish. */
  public Future<Void> closeReplaced(ProviderRegistry previous, java.time.Duration grace) {
    return Future.all(previous.providers.values().stream()
        .filter(old -> providers.get(old.name()) != old).map(old -> old.close(grace)).toList()).mapEmpty();
  }

  private static Provider create(Vertx vertx, ProviderConfig config, Redactor redactor) {
    return switch (config.type()) {
      case OPENAI -> new OpenAiCompatibleProvider(vertx, config, redactor);
      case ANTHROPIC -> throw new dev.ossaat.orchestrator.config.ConfigException("providers." + config.name() + ".type",
          "type anthropic is read from the config, but this build has no Anthropic adapter yet");
    };
  }

  public Optional<Provider> get(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  /** Routable providers in preference order. */
  public List<Provider> all() {
    return List.copyOf(providers.values());
  }

  public Future<Void> close(java.time.Duration grace) {
    return Future.all(providers.values().stream().map(p -> p.close(grace)).toList()).mapEmpty();
  }
}
