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
  /** Google's Gemini API ({@code generateContent}, {@code x-goog-api-key}). */
  GEMINI,
  /** Azure OpenAI: OpenAI's format on Azure's paths (deployments, api-version), {@code api-key} or an Entra ID token. */
  AZURE,
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
      case "gemini", "google" -> GEMINI;
      case "azure", "azure-openai" -> AZURE;
      case "bedrock", "aws-bedrock" -> BEDROCK;
      default -> throw new ConfigException(key, "unknown provider type '" + text + "' (known: openai, anthropic, gemini, azure, bedrock, ollama)");
    };
  }
}
