package dev.ossaat.orchestrator.config;

import java.util.Map;

/**
 * Everything that shapes the upstream connection of one provider, and nothing else: when two configs
 * have equal connections, an HTTP client built for one serves the other. Timeouts, weight, retry,
 * circuit breaker, admission, pricing and models are policy and are not part of it.
 *
 * @param anthropicVersion the {@code anthropic-version} header, null unless the type is anthropic
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
    AwsSettings aws) {

  public ProviderConnection {
    headers = Map.copyOf(headers);
  }

  /** The connection of a provider without AWS settings (every type but bedrock). */
  public ProviderConnection(ProviderType type, String baseUrl, Secret apiKey, Map<String, String> headers,
      ConnectionPoolConfig pool, TlsConfig tls, String anthropicVersion) {
    this(type, baseUrl, apiKey, headers, pool, tls, anthropicVersion, null);
  }
}
