package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anthropic providers, TLS, and what a provider's connection is. */
class ProviderConfigTest {
  @TempDir Path tmp;

  private static ConfigLoader loader(String... env) {
    Map<String, String> map = new HashMap<>();
    map.put("ORCHESTRATOR_SECRETS_DIR", "/nonexistent");
    for (int i = 0; i < env.length; i += 2) map.put(env[i], env[i + 1]);
    return new ConfigLoader(map);
  }

  private static ProviderConfig only(String yaml, String... env) {
    return loader(env).parseText(yaml, "t").providers().get(0);
  }

  @Test
  void aProviderNamedAnthropicIsTypeAnthropicWithItsDefaults() {
    ProviderConfig p = only("providers: {anthropic: {model: claude-sonnet-4-5}}", "ANTHROPIC_API_KEY", "ak-env");
    assertThat(p.type()).isEqualTo(ProviderType.ANTHROPIC);
    assertThat(p.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(p.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(p.maxTokensDefault()).isEqualTo(4096);
    assertThat(p.apiKeyRequired()).isTrue();
    assertThat(p.apiKey().reveal()).isEqualTo("ak-env");
    assertThat(p.routable()).isTrue();
    assertThat(p.connection().anthropicVersion()).isEqualTo("2023-06-01");
  }

  @Test
  void anyNameWithTypeAnthropicGetsAnthropicsDefaultsAndItsOwnCredential() throws IOException {
    Files.writeString(tmp.resolve("CLAUDE_API_KEY"), "ak-file\n");
    ConfigLoader l = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", tmp.toString()));
    ProviderConfig p = l.parseText("""
        providers:
          claude:
            type: anthropic
            model: claude-haiku-4-5
            anthropicVersion: "2024-01-01"
            maxTokensDefault: 8192
        """, "t").provider("claude").orElseThrow();
    assertThat(p.type()).isEqualTo(ProviderType.ANTHROPIC);
    assertThat(p.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(p.anthropicVersion()).isEqualTo("2024-01-01");
    assertThat(p.maxTokensDefault()).isEqualTo(8192);
    assertThat(p.apiKey().reveal()).isEqualTo("ak-file");
  }

  @Test
  void anAnthropicProviderWithoutCredentialIsNotRoutable() {
    ProviderConfig p = only("providers: {anthropic: {enabled: auto, model: claude-sonnet-4-5}}");
    assertThat(p.configured()).isFalse();
    assertThat(p.enabled()).isFalse();
  }

  @Test
  void otherTypesHaveNoAnthropicVersionAndRefuseTheKey() {
    ProviderConfig openai = only("providers: {openai: {apiKey: sk-x}}");
    assertThat(openai.type()).isEqualTo(ProviderType.OPENAI);
    assertThat(openai.anthropicVersion()).isNull();
    assertThat(openai.maxTokensDefault()).isEqualTo(4096);
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: sk-x, anthropicVersion: '2023-06-01'}}", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("providers.openai.anthropicVersion: is only for providers of type anthropic; provider 'openai' is type openai");
    // An explicit type wins over the name.
    assertThatThrownBy(() -> loader().parseText(
        "providers: {anthropic: {type: openai, apiKey: k, anthropicVersion: '2023-06-01'}}", "t"))
        .hasMessageStartingWith("providers.anthropic.anthropicVersion: is only for providers of type anthropic");
  }

  @Test
  void anthropicVersionAndMaxTokensDefaultAreValidated() {
    assertThatThrownBy(() -> loader().parseText("providers: {anthropic: {apiKey: k, anthropicVersion: latest}}", "t"))
        .hasMessageStartingWith("providers.anthropic.anthropicVersion: expected an Anthropic API version date");
    assertThatThrownBy(() -> loader().parseText("providers: {anthropic: {apiKey: k, maxTokensDefault: 0}}", "t"))
        .hasMessage("providers.anthropic.maxTokensDefault: must be between 1 and 1000000, got 0");
    assertThatThrownBy(() -> loader().parseText("providers: {anthropic: {apiKey: k, maxTokensDefault: 1000001}}", "t"))
        .hasMessageStartingWith("providers.anthropic.maxTokensDefault: must be between 1 and 1000000");
  }

  @Test
  void azureSettingsAreValidatedAndOnlyForAzure() {
    ProviderConfig azure = loader().parseText("providers: {az: {type: azure, baseUrl: 'https://r.openai.azure.com', apiKey: k,"
        + " model: gpt-4o, deployments: {gpt-4o: dep-1}}}", "t").provider("az").orElseThrow();
    assertThat(azure.type()).isEqualTo(ProviderType.AZURE);
    assertThat(azure.azure().apiVersion()).isEqualTo("2024-10-21");
    assertThat(azure.azure().deployment("gpt-4o")).isEqualTo("dep-1");
    assertThat(azure.azure().deployment("gpt-4.1")).as("no deployment configured: its own name").isEqualTo("gpt-4.1");
    assertThat(azure.azure().bearer()).isFalse();
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, apiVersion: v1}}", "t"))
        .hasMessageStartingWith("providers.openai.apiVersion: is only for providers of type azure");
    assertThatThrownBy(() -> loader().parseText("providers: {az: {type: azure, baseUrl: 'https://r', apiKey: k, apiVersion: latest}}", "t"))
        .hasMessageStartingWith("providers.az.apiVersion: expected v1 or an Azure OpenAI API version");
    assertThatThrownBy(() -> loader().parseText("providers: {az: {type: azure, baseUrl: 'https://r', apiKey: k, auth: oauth}}", "t"))
        .hasMessageStartingWith("providers.az.auth: expected api-key or bearer");
    assertThatThrownBy(() -> loader().parseText("providers: {az: {type: azure, baseUrl: 'https://r', apiKey: k,"
        + " deployments: {gpt-4o: 'a/b'}}}", "t")).hasMessageStartingWith("providers.az.deployments.gpt-4o: expected an Azure deployment name");
    assertThatThrownBy(() -> loader().parseText("providers: {az: {type: azure, apiKey: k}}", "t"))
        .hasMessageStartingWith("providers.az.baseUrl: is required");
  }

  @Test
  void anUnknownTypeNamesTheKnownOnes() {
    assertThatThrownBy(() -> loader().parseText("providers: {x: {type: claude, baseUrl: 'https://x'}}", "t"))
        .hasMessage("providers.x.type: unknown provider type 'claude' (known: openai, anthropic, gemini, azure, bedrock, ollama)");
  }

  @Test
  void tlsSection() throws IOException {
    Path ca = tmp.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    ProviderConfig p = only("providers: {local: {baseUrl: 'https://10.0.0.1/v1', apiKeyRequired: false, model: m, "
        + "tls: {caFile: '" + ca + "'}}}");
    assertThat(p.tls()).isEqualTo(new TlsConfig(false, ca.toString()));
    assertThat(p.connection().tls()).isEqualTo(p.tls());
    assertThat(only("providers: {local: {baseUrl: 'https://h/v1', apiKeyRequired: false, tls: {insecureSkipVerify: true}}}").tls())
        .isEqualTo(new TlsConfig(true, null));
    assertThat(only("providers: {openai: {apiKey: k}}").tls()).isEqualTo(TlsConfig.DEFAULTS);

    Path missing = tmp.resolve("missing.pem");
    assertThatThrownBy(() -> only("providers: {local: {baseUrl: 'https://h/v1', tls: {caFile: '" + missing + "'}}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("providers.local.tls.caFile: no readable file at " + missing.toAbsolutePath());
    Path notPem = tmp.resolve("key.txt");
    Files.writeString(notPem, "not a certificate");
    assertThatThrownBy(() -> only("providers: {local: {baseUrl: 'https://h/v1', tls: {caFile: '" + notPem + "'}}}"))
        .hasMessageStartingWith("providers.local.tls.caFile: " + notPem.toAbsolutePath() + " is not a PEM file");
    assertThatThrownBy(() -> only("providers: {local: {baseUrl: 'https://h/v1', tls: {verify: false}}}"))
        .hasMessage("providers.local.tls.verify: unknown key (known keys here: caFile, insecureSkipVerify)");
    assertThatThrownBy(() -> only("providers: {local: {baseUrl: 'https://h/v1', tls: {insecureSkipVerify: maybe}}}"))
        .hasMessage("providers.local.tls.insecureSkipVerify: expected true or false, got 'maybe'");
    assertThatThrownBy(() -> only("providers: {local: {baseUrl: 'https://h/v1', tls: true}}"))
        .hasMessageStartingWith("providers.local.tls: expected a section");
  }

  @Test
  void policyChangesKeepTheConnectionAndConnectionChangesDoNot() throws IOException {
    Path ca = tmp.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    String base = """
        providers:
          p:
            type: %s
            apiKey: %s
            model: claude-sonnet-4-5
            %s
        """;
    ProviderConfig original = only(base.formatted("anthropic", "k1", "weight: 1"));
    List<String> policy = List.of(
        "weight: 5",
        "timeout: 7s",
        "firstByteTimeout: 3s",
        "streamIdleTimeout: 4s",
        "models: [claude-haiku-4-5]",
        "maxTokensDefault: 1024",
        "pricing: {claude-sonnet-4-5: {prompt: 1, completion: 2}}",
        "retry: {maxAttempts: 3}",
        "circuitBreaker: {threshold: 2}",
        "admission: {maxQueued: 1}",
        "enabled: false");
    for (String change : policy) {
      ProviderConfig changed = only(base.formatted("anthropic", "k1", change));
      assertThat(changed).as(change).isNotEqualTo(original);
      assertThat(changed.connection()).as(change).isEqualTo(original.connection());
      assertThat(changed.sameConnection(original)).as(change).isTrue();
    }
    List<String> connection = List.of(
        "baseUrl: https://proxy.example.com/v1",
        "headers: {X-Team: a}",
        "connectionPool: {maxConnections: 5}",
        "connectionPool: {idleTimeout: 10s}",
        "tls: {insecureSkipVerify: true}",
        "tls: {caFile: '" + ca + "'}",
        "anthropicVersion: '2024-01-01'");
    for (String change : connection) {
      ProviderConfig changed = only(base.formatted("anthropic", "k1", change));
      assertThat(changed.connection()).as(change).isNotEqualTo(original.connection());
      assertThat(changed.sameConnection(original)).as(change).isFalse();
    }
    assertThat(only(base.formatted("anthropic", "k2", "weight: 1")).connection()).isNotEqualTo(original.connection());
    ProviderConfig openai = only(base.formatted("openai", "k1", "baseUrl: https://api.anthropic.com/v1"));
    assertThat(openai.connection()).isNotEqualTo(original.connection()); // the type is part of it
    assertThat(original.connection().toString()).doesNotContain("k1");
  }

  @Test
  void theOldConstructorGivesTheDefaults() {
    Duration t = Duration.ofSeconds(30);
    ProviderConfig p = new ProviderConfig("x", true, ProviderType.ANTHROPIC, "https://h", Secret.of("k"), true, "m",
        List.of("m"), false, new Timeouts(t, t, t), ConnectionPoolConfig.DEFAULTS, CircuitBreakerConfig.DEFAULTS,
        RetryConfig.DEFAULTS, AdmissionConfig.DEFAULTS, 1, Map.of(), Map.of());
    assertThat(p.tls()).isEqualTo(TlsConfig.DEFAULTS);
    assertThat(p.anthropicVersion()).isEqualTo(ProviderConfig.DEFAULT_ANTHROPIC_VERSION);
    assertThat(p.maxTokensDefault()).isEqualTo(ProviderConfig.DEFAULT_MAX_TOKENS);
    assertThat(p.connection()).isEqualTo(new ProviderConnection(ProviderType.ANTHROPIC, "https://h", Secret.of("k"),
        Map.of(), ConnectionPoolConfig.DEFAULTS, TlsConfig.DEFAULTS, "2023-06-01"));
  }
}
