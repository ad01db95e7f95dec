package dev.ossaat.orchestrator.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.config.ProviderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dollars per million tokens by provider and model: the embedded list prices ({@code prices.yaml}),
 * overridden by each provider's {@code pricing:} section. A model found in neither is unpriced.
 */
public final class PriceTable {
  private final Map<String, ModelPrice> defaults;
  private final Map<String, Map<String, ModelPrice>> byProvider = new HashMap<>();

  public PriceTable(List<ProviderConfig> providers) {
    this.defaults = loadDefaults();
    for (ProviderConfig p : providers) byProvider.put(p.name(), p.pricing());
  }

  public Optional<ModelPrice> price(String provider, String model) {
    ModelPrice own = byProvider.getOrDefault(provider, Map.of()).get(model);
    return Optional.ofNullable(own != null ? own : defaults.get(model));
  }

  private static Map<String, ModelPrice> loadDefaults() {
    Map<String, ModelPrice> out = new HashMap<>();
    try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream("prices.yaml")) {
      if (in == null) return out;
      JsonNode root = new YAMLMapper().readTree(in);
      root.fields().forEachRemaining(e -> {
        JsonNode p = e.getValue();
        out.put(e.getKey(), new ModelPrice(p.path("prompt").asDouble(), p.path("completion").asDouble(),
            optional(p, "cachedPrompt"), optional(p, "cacheWrite"), optional(p, "reasoning")));
      });
    } catch (IOException e) {
      throw new IllegalStateException("embedded prices.yaml is unreadable", e);
    }
    return out;
  }

  private static Double optional(JsonNode price, String key) {
    return price.hasNonNull(key) ? price.get(key).asDouble() : null;
  }
}
