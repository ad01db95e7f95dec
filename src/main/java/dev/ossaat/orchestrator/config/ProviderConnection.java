package dev.ossaat.orchestrator.config;

import java.util.Map;

/**
 * Everything that shapes the upstream connection of one provider, and nothing else: when two configs
 * have equal connections, an HTTP client built for one serves the other. Timeouts, weight, retry,
 * circuit breaker, admission, pricing and models are policy and are not part of it.
 *
 * @param anthropicVersion the {@code anthropic-version} header, null unless the type is anthropic
 * @param azure API version, deployments and credential form, null unless the type is azure
 * @param aws region and credential sources, null unless the type is bedrock
 */
public record ProviderConnection(
    ProviderType type,
    String baseUrl,
    Secret apiKey,
    Map<String, String> headers,
    ConnectionPoolConfig pool,
    TlsConfig tls,
    String anthropicVersion,
    AzureSettings azure,
    AwsSettings aws) {

  public ProviderConnection {
    headers = Map.copyOf(headers);
  }

  /** The connection of a provider without Azure or AWS settings (every type but azure and bedrock). */
  public ProviderConnection(ProviderType type, String baseUrl, Secret apiKey, Map<String, String> headers,
      ConnectionPoolConfig pool, TlsConfig tls, String anthropicVersion) {
    this(type, baseUrl, apiKey, headers, pool, tls, anthropicVersion, null, null);
  }
}
