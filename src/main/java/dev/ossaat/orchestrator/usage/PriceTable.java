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

  /** OpenRouter's {@code :free} variants cost nothing: they are counted at $0, not as unpriced. */
  static final ModelPrice FREE = new ModelPrice(0, 0, 0.0, 0.0, 0.0);
  /** A provider's {@code pricing:} entry for every model it has no entry for (a local Ollama: $0). */
  public static final String ANY_MODEL = "*";

  /**
   * The price of the model the provider ran: the provider's own {@code pricing} first (its entries,
   * then its {@code "*"} entry for any other model), then the list prices; each for the exact id, then
   * its family. Providers answer with dated snapshot ids ({@code gpt-4o-mini-2024-07-18},
   * {@code claude-sonnet-4-5-20250929}): the date is dropped, so a snapshot is priced as its own family
   * ({@code gpt-4o-mini}, never {@code gpt-4o}); Mistral's versions ({@code mistral-large-2411}) are
   * priced as the family's {@code -latest}; a vendor prefix ({@code openai/gpt-4o-mini}, OpenRouter's)
   * is tried without it, with OpenRouter's dots as dashes ({@code anthropic/claude-sonnet-4.5} is
   * {@code claude-sonnet-4-5}); OpenRouter's {@code :free} variants cost $0, its {@code :beta} and
   * {@code :thinking} variants are the model's price. Nothing else is guessed: a model none of these
   * name is unpriced.
   */
  public Optional<ModelPrice> price(String provider, String model) {
    if (model == null) return Optional.empty();
    Map<String, ModelPrice> own = byProvider.getOrDefault(provider, Map.of());
    String variant = openRouterVariant(model);
    List<String> names = new java.util.ArrayList<>();
    if (variant != null) names.add(model);
    if ("free".equals(variant)) {
      ModelPrice p = own.get(model);
      return Optional.of(p != null ? p : defaults.getOrDefault(model, FREE));
    }
    names.addAll(names(variant == null ? model : model.substring(0, model.length() - variant.length() - 1)));
    for (String name : names) {
      ModelPrice p = own.get(name);
      if (p != null) return Optional.of(p);
    }
    ModelPrice any = own.get(ANY_MODEL);
    if (any != null) return Optional.of(any);
    for (String name : names) {
      ModelPrice p = defaults.get(name);
      if (p != null) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** {@code free}, {@code beta} or {@code thinking} of a vendor/model:variant id; null for any other id. */
  static String openRouterVariant(String model) {
    int colon = model.lastIndexOf(':');
    if (colon < 0 || model.indexOf('/') < 0 || model.indexOf('/') > colon) return null;
    String v = model.substring(colon + 1);
    return v.equals("free") || v.equals("beta") || v.equals("thinking") ? v : null;
  }

  /** The id, then without a date suffix, then both again without a vendor prefix. */
  static List<String> family(String model) {
    List<String> out = new java.util.ArrayList<>(4);
    out.add(model);
    String undated = withoutDate(model);
    if (!undated.equals(model)) out.add(undated);
    int slash = model.lastIndexOf('/');
    if (slash >= 0 && slash < model.length() - 1) {
      String bare = model.substring(slash + 1);
      out.add(bare);
      String bareUndated = withoutDate(bare);
      if (!bareUndated.equals(bare)) out.add(bareUndated);
    }
    String served = bedrockModel(slash >= 0 ? model.substring(slash + 1) : model);
    if (served != null) {
      if (!out.contains(served)) out.add(served);
      String servedUndated = withoutDate(served);
      if (!out.contains(servedUndated)) out.add(servedUndated);
    }
    return out;
  }

  private static final java.util.Set<String> BEDROCK_REGIONS =
      java.util.Set.of("us", "eu", "apac", "ap", "global", "us-gov", "ca", "jp", "au");
  private static final java.util.Set<String> BEDROCK_VENDORS = java.util.Set.of("anthropic", "amazon", "meta", "mistral",
      "cohere", "ai21", "deepseek", "qwen", "openai", "writer", "stability");
  private static final java.util.regex.Pattern BEDROCK_VERSION =
      java.util.regex.Pattern.compile("(-v\\d+(:\\d+)?|:\\d+)(:[0-9a-z]+)?$");

  /**
   * The model a Bedrock id serves: {@code us.anthropic.claude-3-5-sonnet-20241022-v2:0} (an
   * inference profile: region prefix, vendor, version suffix) is {@code claude-3-5-sonnet-20241022};
   * {@code amazon.nova-pro-v1:0} is {@code nova-pro}. Null when the id is not of Bedrock's shape
   * (a known vendor prefix is required, so nothing else is guessed).
   */
  static String bedrockModel(String id) {
    String rest = id;
    int dot = rest.indexOf('.');
    if (dot > 0 && BEDROCK_REGIONS.contains(rest.substring(0, dot))) rest = rest.substring(dot + 1);
    dot = rest.indexOf('.');
    if (dot <= 0 || !BEDROCK_VENDORS.contains(rest.substring(0, dot))) return null;
    rest = rest.substring(dot + 1);
    String bare = BEDROCK_VERSION.matcher(rest).replaceFirst("");
    return bare.isEmpty() || bare.equals(id) ? null : bare;
  }

  /** {@code name-YYYY-MM-DD} or {@code name-YYYYMMDD} → {@code name}; anything else unchanged. */
  static String withoutDate(String model) {
    int n = model.length();
    if (n > 11 && model.charAt(n - 11) == '-' && model.charAt(n - 6) == '-' && model.charAt(n - 3) == '-'
        && digits(model, n - 10, n - 6) && digits(model, n - 5, n - 3) && digits(model, n - 2, n)) {
      return model.substring(0, n - 11);
    }
    if (n > 9 && model.charAt(n - 9) == '-' && digits(model, n - 8, n) && model.charAt(n - 8) == '2') {
      return model.substring(0, n - 9);
    }
    return model;
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  /**
   * The names a model is looked up by: its {@link #family}, then OpenRouter's dotted ids with dashes
   * ({@code anthropic/claude-sonnet-4.5} → {@code claude-sonnet-4-5}), then a Mistral version's
   * {@code -latest} ({@code mistral-large-2411} → {@code mistral-large-latest}).
   */
  static List<String> names(String model) {
    List<String> out = new java.util.ArrayList<>(family(model));
    int slash = model.lastIndexOf('/');
    String bare = slash >= 0 ? model.substring(slash + 1) : model;
    if (slash >= 0 && bare.indexOf('.') >= 0) {
      String dashed = bare.replace('.', '-');
      add(out, dashed);
      add(out, withoutDate(dashed));
    }
    String unversioned = withoutVersion(bare);
    if (!unversioned.equals(bare)) add(out, unversioned + "-latest");
    return out;
  }

  private static void add(List<String> out, String name) {
    if (!out.contains(name)) out.add(name);
  }

  /** Mistral's {@code name-YYMM} ({@code mistral-large-2411}, {@code codestral-2501}) → {@code name}; anything else unchanged. */
  static String withoutVersion(String model) {
    int n = model.length();
    if (n > 5 && model.charAt(n - 5) == '-' && digits(model, n - 4, n) && model.charAt(n - 4) == '2'
        && model.charAt(n - 3) >= '3') {
      int month = Integer.parseInt(model.substring(n - 2));
      if (month >= 1 && month <= 12) return model.substring(0, n - 5);
    }
    return model;
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
