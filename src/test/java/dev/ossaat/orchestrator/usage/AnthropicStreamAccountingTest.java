package dev.ossaat.orchestrator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed Anthropic answer reports its usage in two parts (input and cache tokens in
 * message_start, output in message_delta). Both parts count: tokens and dollars equal what the
 * provider reported, exactly, in the metrics and in the request's log line, whether the client
 * speaks Anthropic (pass-through) or OpenAI (translated).
 */
class AnthropicStreamAccountingTest {
  private static final String YAML = """
      providers:
        retry: {maxAttempts: 1}
        anthro:
          type: anthropic
          baseUrl: ${SIM:anthro}
          apiKey: sk-ant-accounting-0001
          model: claude-sonnet-4-5
        """;
  // promptTokens is every input token; the simulator reports input_tokens = 1000 - 600 - 200 = 200.
  private static final String PROFILE = """
      {"requireApiKey":"sk-ant-accounting-0001","chunks":4,"promptTokens":1000,"cachedPromptTokens":600,
       "cacheCreationTokens":200,"completionTokens":50}""";
  // Sonnet 4.5 list prices, $ per million: input 3, cache read 0.30, cache write 3.75, output 15.
  private static final double DOLLARS = (200 * 3.0 + 600 * 0.30 + 200 * 3.75 + 50 * 15.0) / 1_000_000;

  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start(YAML);
    gw.simulate("anthro", PROFILE);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void anAnthropicClientsStreamIsBilledExactlyFromBothUsageParts() {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = gw.post("/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
          "anthropic-version", "2023-06-01", "x-api-key", "client-key", "x-tenant-id", "acme");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("event: message_start").contains("event: message_stop");
      assertBilled(log);
    }
  }

  @Test
  void anOpenAiClientsStreamFromAnAnthropicProviderIsBilledTheSame() {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = gw.post("/v1/chat/completions",
          "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
          "x-tenant-id", "acme");
      assertThat(r.statusCode()).isEqualTo(200);
      // the client's own usage report, in its format: prompt_tokens include the cached ones
      assertThat(r.body()).contains("\"prompt_tokens\":1000").contains("\"completion_tokens\":50")
          .contains("\"cached_tokens\":600").endsWith("data: [DONE]\n\n");
      assertBilled(log);
    }
  }

  private void assertBilled(LogCapture log) {
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "anthro", "type", "prompt")).isEqualTo(1000);
    assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "anthro", "type", "completion")).isEqualTo(50);
    assertThat(m.sum("orchestrator_provider_token_details_total", "type", "cache_read")).isEqualTo(600);
    assertThat(m.sum("orchestrator_provider_token_details_total", "type", "cache_write")).isEqualTo(200);
    assertThat(m.sum("orchestrator_provider_estimated_tokens_total")).isZero();
    assertThat(m.sum("orchestrator_provider_cost_dollars_total", "provider", "anthro", "tenant_id", "acme"))
        .isCloseTo(DOLLARS, org.assertj.core.data.Offset.offset(1e-12));
    String line = log.grep("request anthro", "tokens").get(0);
    assertThat(line).contains("request anthro 1050 tokens").contains(" prompt=1000 ").contains(" completion=50 ")
        .contains(" cache_read=600 ").contains(" cache_write=200 ").contains(" estimated=false ")
        .contains(String.format(java.util.Locale.ROOT, " cost_usd=%.6f ", DOLLARS)).contains(" tenant=acme ");
  }
}
