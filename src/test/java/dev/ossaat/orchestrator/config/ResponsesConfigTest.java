package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code responses:} section and the providers' {@code responsesApi} key. */
class ResponsesConfigTest {
  private static final String PROVIDERS = """
      providers:
        oai: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, model: m, responsesApi: true}
        plain: {baseUrl: "http://127.0.0.1:2/v1", apiKeyRequired: false, model: n}
      """;

  private static OrchestratorConfig parse(String yaml) {
    return new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", "/nonexistent-test-secrets")).parseText(yaml, "test");
  }

  @Test
  void defaultsToAMemoryStoreForADay() {
    OrchestratorConfig c = parse(PROVIDERS);
    assertThat(c.responses()).isEqualTo(new ResponsesConfig(ResponsesConfig.StoreType.MEMORY, Duration.ofHours(24), 256L << 20));
    assertThat(c.provider("oai").orElseThrow().responsesApi()).isTrue();
    assertThat(c.provider("plain").orElseThrow().responsesApi()).isFalse();
  }

  @Test
  void readsTheSection() {
    OrchestratorConfig c = parse("responses: {store: redis, ttl: 10m, maxBytes: 65536}\n" + PROVIDERS);
    assertThat(c.responses()).isEqualTo(new ResponsesConfig(ResponsesConfig.StoreType.REDIS, Duration.ofMinutes(10), 65536));
  }

  @Test
  void refusesWhatItCannotMean() {
    assertThatThrownBy(() -> parse("responses: {store: disk}\n" + PROVIDERS)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("responses.store").hasMessageContaining("memory or redis");
    assertThatThrownBy(() -> parse("responses: {ttl: 100ms}\n" + PROVIDERS)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("responses.ttl");
    assertThatThrownBy(() -> parse("responses: {maxBytes: 10}\n" + PROVIDERS)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("responses.maxBytes");
    assertThatThrownBy(() -> parse("responses: {stor: redis}\n" + PROVIDERS)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("responses.stor");
    assertThatThrownBy(() -> parse("""
        providers:
          claude: {type: anthropic, apiKeyRequired: false, model: c, responsesApi: true}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("providers.claude.responsesApi")
        .hasMessageContaining("only for providers of type openai");
  }
}
