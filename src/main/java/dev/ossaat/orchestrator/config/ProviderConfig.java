package dev.ossaat.orchestrator.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider: its connection ({@link #connection()}) and the policy applied to it.
 *
 * @param configured whether it can be called: a credential is present, or none is required
 * @param acceptAnyModel requests for models it does not list may be sent to it with its default
 *     {@code model} (a local Ollama as the last resort, as the runbook's emergency fallback uses it)
 * @param weight its share of traffic under the weighted routing strategy (0 drains it)
 * @param tls the {@code tls:} section ({@link TlsConfig#DEFAULTS} when absent)
 * @param anthropicVersion the {@code anthropic-version} header sent to a provider of type anthropic
 *     (default {@value #DEFAULT_ANTHROPIC_VERSION}); null for every other type
 * @param responsesApi an OpenAI provider that also serves {@code /v1/responses}: a Responses client's
 *     request then passes through (model swapped only), instead of being translated to Chat Completions
 * @param maxTokensDefault the {@code max_tokens} sent to Anthropic when the client omits it (an
 *     OpenAI-format client may; Anthropic requires it); default {@value #DEFAULT_MAX_TOKENS}
 * @param azure API version, deployments and credential form of a provider of type azure; null for every other type
 * @param aws region and credential sources of a provider of type bedrock; null for every other type
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
    Map<String, String> headers,
    TlsConfig tls,
    String anthropicVersion,
    int maxTokensDefault,
    AzureSettings azure,
    boolean responsesApi,
    AwsSettings aws) {

  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
  public static final int DEFAULT_MAX_TOKENS = 4096;

  public ProviderConfig {
    models = List.copyOf(models);
    pricing = Map.copyOf(pricing);
    headers = Map.copyOf(headers);
    if (tls == null) tls = TlsConfig.DEFAULTS;
  }

  /** A provider of type openai or anthropic, without Azure, Responses or AWS settings. */
  public ProviderConfig(String name, boolean enabled, ProviderType type, String baseUrl, Secret apiKey,
      boolean apiKeyRequired, String defaultModel, List<String> models, boolean acceptAnyModel, Timeouts timeouts,
      ConnectionPoolConfig connectionPool, CircuitBreakerConfig circuitBreaker, RetryConfig retry,
      AdmissionConfig admission, int weight, Map<String, ModelPrice> pricing, Map<String, String> headers, TlsConfig tls,
      String anthropicVersion, int maxTokensDefault) {
    this(name, enabled, type, baseUrl, apiKey, apiKeyRequired, defaultModel, models, acceptAnyModel, timeouts, connectionPool,
        circuitBreaker, retry, admission, weight, pricing, headers, tls, anthropicVersion, maxTokensDefault, null, false, null);
  }

  /** A provider with the default TLS, Anthropic version (for type anthropic) and {@code max_tokens}. */
  public ProviderConfig(String name, boolean enabled, ProviderType type, String baseUrl, Secret apiKey,
      boolean apiKeyRequired, String defaultModel, List<String> models, boolean acceptAnyModel, Timeouts timeouts,
      ConnectionPoolConfig connectionPool, CircuitBreakerConfig circuitBreaker, RetryConfig retry,
      AdmissionConfig admission, int weight, Map<String, ModelPrice> pricing, Map<String, String> headers) {
    this(name, enabled, type, baseUrl, apiKey, apiKeyRequired, defaultModel, models, acceptAnyModel, timeouts,
        connectionPool, circuitBreaker, retry, admission, weight, pricing, headers, TlsConfig.DEFAULTS,
        type == ProviderType.ANTHROPIC ? DEFAULT_ANTHROPIC_VERSION : null, DEFAULT_MAX_TOKENS);
  }

  /** Everything about the upstream connection; policy (timeouts, weight, retry, pricing, ...) is not in it. */
  public ProviderConnection connection() {
    return new ProviderConnection(type, baseUrl, apiKey, headers, connectionPool, tls, anthropicVersion, azure, aws);
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

  /** Whether an HTTP client built for {@code o} could serve this config: {@code connection().equals(o.connection())}. */
  public boolean sameConnection(ProviderConfig o) {
    return connection().equals(o.connection());
  }
}
