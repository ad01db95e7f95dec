package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code type: ollama} is the native API; a provider named ollama without a type keeps the OpenAI-compatible /v1. */
class OllamaConfigTest {
  static OrchestratorConfig parse(String yaml) {
    return new ConfigLoader(Map.of()).parseText(yaml, "t");
  }

  @Test
  void bothModesStayAvailable() {
    OrchestratorConfig c = parse("""
        providers:
          ollama: {model: llama3.2}
          local: {type: ollama, model: llama3.2}
        """);
    ProviderConfig compatible = c.provider("ollama").orElseThrow();
    assertThat(compatible.type()).isEqualTo(ProviderType.OPENAI);
    assertThat(compatible.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    ProviderConfig nativeApi = c.provider("local").orElseThrow();
    assertThat(nativeApi.type()).isEqualTo(ProviderType.OLLAMA);
    assertThat(nativeApi.baseUrl()).isEqualTo("http://127.0.0.1:11434");
    assertThat(nativeApi.routable()).as("no key needed").isTrue();
  }

  @Test
  void aV1BaseUrlForTheNativeTypeIsNamed() {
    assertThatThrownBy(() -> parse("providers: {local: {type: ollama, baseUrl: 'http://ollama:11434/v1', model: m}}"))
        .hasMessageStartingWith("providers.local.baseUrl: type ollama speaks Ollama's native API")
        .hasMessageContaining("use type: openai");
  }
}
