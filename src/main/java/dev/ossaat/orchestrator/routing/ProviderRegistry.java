package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.anthropic.AnthropicProvider;
import dev.ossaat.orchestrator.provider.azure.AzureOpenAiProvider;
import dev.ossaat.orchestrator.provider.gemini.GeminiProvider;
import dev.ossaat.orchestrator.provider.openai.OpenAiCompatibleProvider;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adapters of every routable provider, in preference order, each with its own connection pool,
 * beside the provider's settings of this config version.
 */
public final class ProviderRegistry {
  /** A routable provider: its current settings and the adapter that holds its connections. */
  public record Entry(ProviderConfig config, Provider adapter) {
    public String name() {
      return config.name();
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Builds the adapters for a config; with {@code previous} (a reload), a provider whose connection
   * settings did not change keeps its adapter and warm pool, whatever else about it changed.
   */
  public ProviderRegistry(Vertx vertx, OrchestratorConfig config, Redactor redactor, ProviderRegistry previous) {
    for (ProviderConfig p : config.routableProviders()) {
      Entry kept = previous == null ? null : previous.entries.get(p.name());
      Provider adapter = kept != null && kept.config().sameConnection(p) ? kept.adapter() : create(vertx, p, redactor);
      entries.put(p.name(), new Entry(p, adapter));
    }
  }

  /** Closes the adapters of {@code previous} that this registry no longer uses, after their calls finish. */
  public Future<Void> closeReplaced(ProviderRegistry previous, java.time.Duration grace) {
    List<Future<Void>> closing = new ArrayList<>();
    for (Entry old : previous.entries.values()) {
      Entry now = entries.get(old.name());
      if (now == null || now.adapter() != old.adapter()) closing.add(old.adapter().close(grace));
    }
    return Future.all(closing).mapEmpty();
  }

  private static Provider create(Vertx vertx, ProviderConfig config, Redactor redactor) {
    return switch (config.type()) {
      case OPENAI -> new OpenAiCompatibleProvider(vertx, config, redactor);
      case ANTHROPIC -> new AnthropicProvider(vertx, config, redactor);
      case GEMINI -> new GeminiProvider(vertx, config, redactor);
      case AZURE -> new AzureOpenAiProvider(vertx, config, redactor);
      case BEDROCK -> new dev.ossaat.orchestrator.provider.bedrock.BedrockProvider(vertx, config, redactor);
      case OLLAMA -> new dev.ossaat.orchestrator.provider.ollama.OllamaProvider(vertx, config, redactor);
    };
  }

  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Routable providers in preference order. */
  public List<Entry> all() {
    return List.copyOf(entries.values());
  }

  public List<Provider> adapters() {
    return entries.values().stream().map(Entry::adapter).toList();
  }

  public Future<Void> close(java.time.Duration grace) {
    return Future.all(entries.values().stream().map(e -> e.adapter().close(grace)).toList()).mapEmpty();
  }
}
