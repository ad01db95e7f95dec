package dev.ossaat.orchestrator.config;

import java.util.Locale;

/**
 * The wire format a provider speaks. Mistral, OpenRouter, vLLM and Ollama's {@code /v1} endpoint all
 * speak OpenAI's, so they are the same type with another base URL. Anthropic's Messages API is its own,
 * as are Bedrock's Converse and Ollama's native API ({@code type: ollama}; a provider named ollama
 * without a type still uses the OpenAI-compatible {@code /v1}).
 */
public enum ProviderType {
  OPENAI,
  ANTHROPIC,
  /** AWS Bedrock's Converse API, SigV4-signed. */
  BEDROCK,
  /** Ollama's native API ({@code /api/chat}, {@code /api/embed}); its {@code /v1} endpoint is type openai. */
  OLLAMA;

  /** The name used in the config file and in messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ProviderType parse(String key, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "openai", "openai-compatible", "mistral", "openrouter", "vllm" -> OPENAI;
      case "ollama", "ollama-native" -> OLLAMA;
      case "anthropic" -> ANTHROPIC;
      case "bedrock", "aws-bedrock" -> BEDROCK;
      case "gemini", "google", "azure", "azure-openai" ->
          throw new ConfigException(key, "the native '" + text + "' adapter is not part of this version; "
              + "use an OpenAI-compatible endpoint (type: openai) for now");
      default -> throw new ConfigException(key, "unknown provider type '" + text + "' (known: openai, anthropic, bedrock, ollama)");
    };
  }
}
