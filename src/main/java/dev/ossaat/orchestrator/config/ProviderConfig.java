package dev.ossaat.orchestrator.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider.
 *
 * @param configured whether it can be called: a credential is present, or none is required
 * @param acceptAnyModel requests for models it does not list may be sent to it with its default
 *     {@code model} (a local Ollama as the last resort, as the runbook's emergency fallback uses it)
 * @param weight its share of traffic under the weighted routing strategy (0 drains it)
 */
public record ProviderConfig(
    String name,
    boolean enabled,
    ProviderType type,
    String baseUrl,
    Secret apiKey,
    boolean apiKeyRequired,
    String defaultModel,
    List<String> models,
    boolean acceptAnyModel,
    Timeouts timeouts,
    ConnectionPoolConfig connectionPool,
    CircuitBreakerConfig circuitBreaker,
    RetryConfig retry,
    AdmissionConfig admission,
    int weight,
    Map<String, ModelPrice> pricing,
    Map<String, String> headers) {

  public ProviderConfig {
    models = List.copyOf(models);
    pricing = Map.copyOf(pricing);
    headers = Map.copyOf(headers);
  }

  public boolean configured() {
    return apiKey.isPresent() || !apiKeyRequired;
  }

  /** Enabled and able to authenticate: the only providers routing may choose. */
  public boolean routable() {
    return enabled && configured();
  }

  public boolean lists(String model) {
    return models.contains(model);
  }

  /** Everything about the upstream connection: when it changes, the provider's client is rebuilt. */
  public boolean sameConnection(ProviderConfig o) {
    return type == o.type && baseUrl.equals(o.baseUrl) && apiKey.equals(o.apiKey) && connectionPool.equals(o.connectionPool)
        && headers.equals(o.headers) && timeouts.equals(o.timeouts);
  }
}
