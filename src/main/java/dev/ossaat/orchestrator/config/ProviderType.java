package dev.ossaat.orchestrator.config;

import java.util.Locale;

/**
 * The wire format a provider speaks. Mistral, OpenRouter, vLLM and Ollama's {@code /v1} endpoint all
 * speak OpenAI's, so they are the same type with another base URL. Anthropic's Messages API is its own.
 */
public enum ProviderType {
  OPENAI,
  ANTHROPIC,
  /** AWS Bedrock's Converse API, SigV4-signed. */
  BEDROCK;

  /** The name used in the config file and in messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ProviderType parse(String key, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "openai", "openai-compatible", "mistral", "openrouter", "vllm", "ollama" -> OPENAI;
      case "anthropic" -> ANTHROPIC;
      case "bedrock", "aws-bedrock" -> BEDROCK;
      case "gemini", "google", "azure", "azure-openai" ->
          throw new ConfigException(key, "the native '" + text + "' adapter is not part of this version; "
              + "use an OpenAI-compatible endpoint (type: openai) for now");
      default -> throw new ConfigException(key, "unknown provider type '" + text + "' (known: openai, anthropic, bedrock)");
    };
  }
}
