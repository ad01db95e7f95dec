package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private static ConfigLoader loader(String... env) {
    Map<String, String> map = new HashMap<>();
    map.put("ORCHESTRATOR_SECRETS_DIR", "/nonexistent");
    for (int i = 0; i < env.length; i += 2) map.put(env[i], env[i + 1]);
    return new ConfigLoader(map);
  }

  @Test
  void runbookPerformanceTuningSnippetsAreReadAsWritten() {
    OrchestratorConfig c = loader().parseText("""
        orchestrator:
          providers:
            connectionPool:
              maxConnections: 50
              maxIdleConnections: 5
              connectionTimeout: 10s
              idleTimeout: 45s
            batching:
              enabled: true
              maxBatchSize: 20
              batchTimeout: 50ms
            circuitBreaker:
              threshold: 7
              timeout: 30s
              halfOpenRequests: 2
            openai:
              apiKey: sk-test
          cache:
            enabled: true
            type: memory
            ttl: 3600
            maxSize: 500
            compressionEnabled: true
        """, "t");
    ProviderConfig openai = c.provider("openai").orElseThrow();
    assertThat(openai.connectionPool()).isEqualTo(new ConnectionPoolConfig(50, 5, Duration.ofSeconds(10), Duration.ofSeconds(45)));
    assertThat(openai.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(7, Duration.ofSeconds(30), 2, true));
    assertThat(c.batching()).isEqualTo(new BatchingConfig(true, 20, Duration.ofMillis(50)));
    assertThat(c.cache()).isEqualTo(new CacheConfig(true, CacheConfig.CacheType.MEMORY, Duration.ofHours(1), 500, true, false));
    assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
  }

  @Test
  void runbookAddingNewProviderSnippetWorksWithEnvSubstitution() {
    OrchestratorConfig c = loader("NEW_PROVIDER_API_KEY", "nk-123").parseText("""
        providers:
          newProvider:
            enabled: true
            baseUrl: https://llm.example.com/v1
            apiKey: ${NEW_PROVIDER_API_KEY}
            model: "model-name"
            timeout: 30s
        metrics:
          providers:
            newProvider:
              requestsTotal: orchestrator_provider_requests_total
              latency: orchestrator_provider_latency_seconds
        """, "t");
    ProviderConfig p = c.provider("newProvider").orElseThrow();
    assertThat(p.apiKey().reveal()).isEqualTo("nk-123");
    assertThat(p.apiKey().toString()).doesNotContain("nk-123");
    assertThat(p.defaultModel()).isEqualTo("model-name");
    assertThat(p.models()).containsExactly("model-name");
    assertThat(p.timeouts().total()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.routable()).isTrue();
  }

  @Test
  void defaultsAndEnvDefaultSyntax() {
    OrchestratorConfig c = loader().parseText("""
        providers:
          local:
            baseUrl: ${LOCAL_URL:-http://127.0.0.1:9999/v1}
            apiKeyRequired: false
            model: m
        """, "t");
    assertThat(c.server().port()).isEqualTo(3000);
    assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    ProviderConfig p = c.provider("local").orElseThrow();
    assertThat(p.baseUrl()).isEqualTo("http://127.0.0.1:9999/v1");
    assertThat(p.connectionPool()).isEqualTo(ConnectionPoolConfig.DEFAULTS);
    assertThat(p.circuitBreaker()).isEqualTo(CircuitBreakerConfig.DEFAULTS);
    assertThat(p.configured()).isTrue();
  }

  @Test
  void perProviderOverridesInheritTheSharedSettings() {
    OrchestratorConfig c = loader().parseText("""
        providers:
          connectionPool: {maxConnections: 40}
          a: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m, connectionPool: {maxConnections: 8}}
          b: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m}
        """, "t");
    assertThat(c.provider("a").orElseThrow().connectionPool().maxConnections()).isEqualTo(8);
    assertThat(c.provider("a").orElseThrow().connectionPool().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.provider("b").orElseThrow().connectionPool().maxConnections()).isEqualTo(40);
  }

  @Test
  void providerPreferenceEnvOrdersProvidersAndTheRestFollow() {
    String yaml = """
        routing: {preference: [a, b]}
        providers:
          a: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m}
          b: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m}
          c: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m}
        """;
    assertThat(loader().parseText(yaml, "t").providers()).extracting(ProviderConfig::name).containsExactly("a", "b", "c");
    assertThat(loader("PROVIDER_PREFERENCE", "c").parseText(yaml, "t").providers())
        .extracting(ProviderConfig::name).containsExactly("c", "a", "b");
    assertThat(loader("PROVIDER_PREFERENCE", " b , c ").parseText(yaml, "t").providers())
        .extracting(ProviderConfig::name).containsExactly("b", "c", "a");
  }

  @Test
  void invalidConfigNamesTheKeyAndTheProblem() {
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {timout: 30s}}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("providers.openai.timout: unknown key");
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {timeout: soon}}", "t"))
        .hasMessageStartingWith("providers.openai.timeout: expected a duration");
    assertThatThrownBy(() -> loader().parseText("providers: {circuitBreaker: {threshold: 0}}", "t"))
        .hasMessageStartingWith("providers.circuitBreaker.threshold: must be between 1");
    assertThatThrownBy(() -> loader().parseText("providers: {x: {model: m}}", "t"))
        .hasMessageStartingWith("providers.x.baseUrl: is required");
    assertThatThrownBy(() -> loader().parseText("providers: {x: {baseUrl: 'ftp://h', model: m}}", "t"))
        .hasMessageStartingWith("providers.x.baseUrl: expected an http(s) URL");
    assertThatThrownBy(() -> loader("PROVIDER_PREFERENCE", "nope").parseText("providers: {openai: {}}", "t"))
        .hasMessageStartingWith("PROVIDER_PREFERENCE: names provider 'nope'");
    assertThatThrownBy(() -> loader().parseText("cache: {type: memcached}", "t"))
        .hasMessageStartingWith("cache.type: expected memory or redis");
    assertThatThrownBy(() -> loader().parseText("metrics: {providers: {openai: {latency: my_latency}}}\nproviders: {openai: {}}", "t"))
        .hasMessageStartingWith("metrics.providers.openai.latency: metric names are fixed");
    assertThatThrownBy(() -> loader().parseText("providers: {aws: {type: bedrock, baseUrl: 'https://x'}}", "t"))
        .hasMessage("providers.aws.region: is required for provider 'aws' of type bedrock (e.g. us-east-1)");
    assertThatThrownBy(() -> loader("PORT", "http").parseText("{}", "t")).hasMessageStartingWith("PORT: expected a port number");
    assertThatThrownBy(() -> loader().parseText("servr: {}", "t")).hasMessageStartingWith("servr: unknown key");
  }

  @Test
  void credentialsComeFromEnvThenFromMountedSecretFiles() throws IOException {
    Files.writeString(tmp.resolve("MISTRAL_API_KEY"), "mk-from-file\n");
    ConfigLoader l = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", tmp.toString(), "OPENAI_API_KEY", "sk-env"));
    OrchestratorConfig c = l.parseText("providers: {openai: {}, mistral: {}, openrouter: {}}", "t");
    assertThat(c.provider("openai").orElseThrow().apiKey().reveal()).isEqualTo("sk-env");
    assertThat(c.provider("mistral").orElseThrow().apiKey().reveal()).isEqualTo("mk-from-file");
    assertThat(c.provider("openrouter").orElseThrow().configured()).isFalse();
    assertThat(c.routableProviders()).extracting(ProviderConfig::name).containsExactly("openai", "mistral");
  }

  @Test
  void configFilesInYamlAndJsonAndTheEmbeddedDefaults() throws IOException {
    Path json = tmp.resolve("providers.json");
    Files.writeString(json, "{\"orchestrator\":{\"server\":{\"requestTimeout\":\"15s\"},\"providers\":{\"ollama\":{\"enabled\":true}}}}");
    LoadedCheck.check(loader("ORCHESTRATOR_CONFIG", json.toString()).load(), false);
    assertThat(loader("ORCHESTRATOR_CONFIG", json.toString()).load().config().server().requestTimeout())
        .isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(() -> loader("ORCHESTRATOR_CONFIG", tmp.resolve("missing.yaml").toString()).load())
        .hasMessageStartingWith("ORCHESTRATOR_CONFIG: no config file");
    Path broken = tmp.resolve("broken.yaml");
    Files.writeString(broken, "providers: [unclosed");
    assertThatThrownBy(() -> loader("ORCHESTRATOR_CONFIG", broken.toString()).load()).hasMessageContaining("cannot be parsed");

    ConfigLoader.LoadedConfig embedded = loader().load();
    LoadedCheck.check(embedded, true);
    assertThat(embedded.config().routableProviders()).isEmpty(); // no keys: the demo's condition
    assertThat(embedded.config().providers()).extracting(ProviderConfig::name)
        .contains("openai", "mistral", "openrouter", "ollama");
    assertThat(loader("OPENAI_API_KEY", "sk-x").load().config().routableProviders())
        .extracting(ProviderConfig::name).containsExactly("openai");
  }

  @Test
  void theShippedExampleConfigIsValid() {
    OrchestratorConfig c = loader("ORCHESTRATOR_CONFIG", "config/orchestrator.example.yaml", "OPENAI_API_KEY", "sk-x").load().config();
    assertThat(c.provider("openai").orElseThrow().timeouts()).isEqualTo(
        new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(20)));
    assertThat(c.routing().strategyFor("text-embedding-3-small")).isEqualTo(RoutingConfig.Strategy.LOWEST_LATENCY);
    assertThat(c.provider("openai").orElseThrow().retry()).isEqualTo(RetryConfig.DEFAULTS);
    assertThat(c.server().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    ProviderConfig anthropic = c.provider("anthropic").orElseThrow();
    assertThat(anthropic.type()).isEqualTo(ProviderType.ANTHROPIC);
    assertThat(anthropic.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(anthropic.anthropicVersion()).isEqualTo("2023-06-01");
    ProviderConfig gemini = c.provider("gemini").orElseThrow();
    assertThat(gemini.type()).isEqualTo(ProviderType.GEMINI);
    assertThat(gemini.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
    ProviderConfig azure = c.provider("azure").orElseThrow();
    assertThat(azure.type()).isEqualTo(ProviderType.AZURE);
    assertThat(azure.azure().deployment("gpt-4o")).isEqualTo("my-gpt4o-deployment");
    assertThat(anthropic.routable()).isFalse(); // ANTHROPIC_ENABLED is not set
    assertThat(anthropic.pricing().get("claude-sonnet-4-5-20250929")).isEqualTo(new ModelPrice(3.00, 15.00, 0.30, 3.75, 15.00));
    assertThat(c.provider("openai").orElseThrow().pricing().get("gpt-4.1")).isEqualTo(new ModelPrice(2.00, 8.00, 0.50));
  }

  private static final class LoadedCheck {
    static void check(ConfigLoader.LoadedConfig loaded, boolean embedded) {
      assertThat(loaded.embeddedDefaults()).isEqualTo(embedded);
    }
  }
}
