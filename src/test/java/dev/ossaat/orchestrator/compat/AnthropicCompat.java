package dev.ossaat.orchestrator.compat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.EnumMap;
import java.util.Map;

/**
 * The two gateways the Anthropic SDK tests run against. The client always speaks the Messages API to
 * the gateway ({@code POST /v1/messages}); behind it is either a simulated Anthropic provider (the
 * gateway relays the Messages format) or a simulated OpenAI-compatible one (the gateway translates
 * Messages to Chat Completions and back, tools and streams included).
 *
 * <p>Each simulator scenario insists on the provider's own key ({@code requireApiKey}: on
 * {@code x-api-key} for Anthropic, on {@code Authorization: Bearer} for OpenAI), so a passing test also
 * shows that the gateway sent its credential and not the client's "test-key".
 */
enum AnthropicCompat {
  ANTHROPIC_PROVIDER("anthro", "anthropic", "claude-sonnet-4-5", "sk-ant-compat-000111"),
  OPENAI_PROVIDER("oai", "openai", "gpt-4o-mini", "sk-oai-compat-000111");

  static final String CONTENT = "Compat answer from the simulated provider.";
  static final int PROMPT_TOKENS = 12;
  static final int COMPLETION_TOKENS = 7;
  static final String TOOL = "get_weather";

  final String scenario;
  final String providerType;
  final String model;
  final String providerKey;

  AnthropicCompat(String scenario, String providerType, String model, String providerKey) {
    this.scenario = scenario;
    this.providerType = providerType;
    this.model = model;
    this.providerKey = providerKey;
  }

  /** maxAttempts 1: one SDK call is one provider call. */
  String yaml() {
    return """
        providers:
          retry: {maxAttempts: 1}
          %s:
            type: %s
            baseUrl: ${SIM:%s}
            apiKey: %s
            model: %s
            models: [%s]
        """.formatted(scenario, providerType, scenario, providerKey, model, model);
  }

  String profile() {
    return "{\"requireApiKey\":\"" + providerKey + "\",\"content\":\"" + CONTENT + "\",\"chunks\":4,\"promptTokens\":"
        + PROMPT_TOKENS + ",\"completionTokens\":" + COMPLETION_TOKENS + "}";
  }

  long providerRequests(TestGateway gw) {
    return gw.simStats(scenario).path("requests").asLong();
  }

  /** Started on first use, one per backend, closed by {@link Gateways#close}. */
  static final class Gateways implements AutoCloseable {
    private final Map<AnthropicCompat, TestGateway> started = new EnumMap<>(AnthropicCompat.class);

    TestGateway get(AnthropicCompat backend) {
      TestGateway gw = started.computeIfAbsent(backend, b -> TestGateway.start(b.yaml()));
      gw.simulate(backend.scenario, backend.profile());
      return gw;
    }

    @Override
    public void close() {
      started.values().forEach(TestGateway::close);
      started.clear();
    }
  }
}
