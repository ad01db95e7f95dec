package dev.ossaat.orchestrator.config;

import java.util.Locale;

/**
 * The wire format a provider speaks. Mistral, OpenRouter, vLLM and Ollama's {@code /v1} endpoint all
 * speak OpenAI's, so they are the same type with another base URL.
 */
public enum ProviderType {
  OPENAI;

  static ProviderType parse(String key, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "openai", "openai-compatible", "mistral", "openrouter", "vllm", "ollama" -> OPENAI;
      case "anthropic", "gemini", "google", "azure", "azure-openai", "bedrock" ->
          throw new ConfigException(key, "the native '" + text + "' adapter is not part of this version; "
              + "use an OpenAI-compatible endpoint (type: openai) for now");
      default -> throw new ConfigException(key, "unknown provider type '" + text + "' (known: openai)");
    };
  }
}
