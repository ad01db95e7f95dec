package dev.ossaat.orchestrator.provider.openai;

import java.net.URI;
import java.util.Locale;

/**
 * Which OpenAI-compatible service a provider of type openai is, for the few places where they differ
 * from OpenAI's own API (see {@link MistralRequests} and {@link FlavorErrors}). Resolved from the base
 * URL's host (api.mistral.ai, codestral.mistral.ai, openrouter.ai), else from the provider's name
 * ({@code mistral}, {@code mistral-eu}, {@code openrouter}, ...): the names the config's well-known
 * base URLs use. Anything else is plain OpenAI and gets no quirks.
 */
public enum OpenAiFlavor {
  OPENAI,
  /**
   * Mistral's La Plateforme: strict request validation (an unknown field is a 422
   * {@code extra_forbidden}, {@code stream_options} included), {@code random_seed} for {@code seed},
   * {@code max_tokens} only, tool call ids of exactly nine letters and digits; usage comes in the last
   * chunk of every stream unasked.
   */
  MISTRAL,
  /**
   * OpenRouter: {@code : OPENROUTER PROCESSING} keep-alive comments, errors after the answer started
   * as a {@code 200} with an {@code error} object (in a chunk, with {@code finish_reason: "error"}, or
   * as the whole body), 402 for an account out of credits, 502/503 when no upstream can serve.
   */
  OPENROUTER;

  public static OpenAiFlavor of(String providerName, String baseUrl) {
    String host = host(baseUrl);
    if (host.equals("mistral.ai") || host.endsWith(".mistral.ai")) return MISTRAL;
    if (host.equals("openrouter.ai") || host.endsWith(".openrouter.ai")) return OPENROUTER;
    String name = providerName == null ? "" : providerName.toLowerCase(Locale.ROOT);
    if (name.startsWith("mistral")) return MISTRAL;
    if (name.startsWith("openrouter")) return OPENROUTER;
    return OPENAI;
  }

  private static String host(String baseUrl) {
    try {
      String h = baseUrl == null ? null : URI.create(baseUrl).getHost();
      return h == null ? "" : h.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
