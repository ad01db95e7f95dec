package dev.ossaat.orchestrator.cache;

import static dev.ossaat.orchestrator.cache.RedisCacheTest.cache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The non-deterministic rule ({@code temperature > 0}, {@code n > 1}, tools: not cached unless
 * {@code cache.cacheNonDeterministic} or the client's TTL header opts in), the TTL header's validation,
 * and what a hit saves (tokens and dollars, never charged to the provider).
 */
class CachePolicyTest {
  private static final String PROVIDERS = """
      providers:
        sim:
          baseUrl: "${SIM:s}"
          apiKeyRequired: false
          model: sim-small
          pricing: {sim-small: {prompt: 3.0, completion: 6.0}}
      """;

  private static String chat(String extra) {
    return "{\"model\":\"sim-small\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"rule\"}]}";
  }

  private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"send_mail\","
      + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";

  @Test
  void nonDeterministicRequestsAreNotCachedByDefault() {
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, ttl: 60}\n" + PROVIDERS)) {
      for (String extra : new String[] {",\"temperature\":0.7", ",\"n\":2", TOOLS}) {
        HttpResponse<String> a = gw.post("/v1/chat/completions", chat(extra));
        HttpResponse<String> b = gw.post("/v1/chat/completions", chat(extra));
        assertThat(a.statusCode()).as(extra).isEqualTo(200);
        assertThat(cache(a)).as(extra).isEqualTo("bypass");
        assertThat(cache(b)).as(extra).isEqualTo("bypass");
      }
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(6);
      assertThat(gw.metrics().sum("orchestrator_cache_skipped_total", "reason", "non_deterministic")).isEqualTo(6);
      // temperature 0, or left out, is cached.
      gw.post("/v1/chat/completions", chat(",\"temperature\":0"));
      assertThat(cache(gw.post("/v1/chat/completions", chat(",\"temperature\":0.0")))).isEqualTo("hit");
      gw.post("/v1/chat/completions", chat(""));
      assertThat(cache(gw.post("/v1/chat/completions", chat("")))).isEqualTo("hit");
    }
  }

  @Test
  void theTtlHeaderOptsASampledRequestIn() {
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, ttl: 60}\n" + PROVIDERS)) {
      String sampled = chat(",\"temperature\":0.9");
      assertThat(cache(gw.post("/v1/chat/completions", sampled, "x-orchestrator-cache-ttl", "30"))).isEqualTo("miss");
      assertThat(cache(gw.post("/v1/chat/completions", sampled, "x-orchestrator-cache-ttl", "30"))).isEqualTo("hit");
      assertThat(cache(gw.post("/v1/chat/completions", sampled))).as("without it: the rule").isEqualTo("bypass");
    }
  }

  @Test
  void configurationCanCacheNonDeterministicRequests() {
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, ttl: 60, cacheNonDeterministic: true}\n" + PROVIDERS)) {
      gw.post("/v1/chat/completions", chat(",\"temperature\":1"));
      assertThat(cache(gw.post("/v1/chat/completions", chat(",\"temperature\":1")))).isEqualTo("hit");
    }
  }

  @Test
  void aMalformedTtlHeaderIsA400InTheCallersFormat() throws Exception {
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, ttl: 60}\n" + PROVIDERS)) {
      HttpResponse<String> openAi = gw.post("/v1/chat/completions", chat(""), "x-orchestrator-cache-ttl", "soon");
      assertThat(openAi.statusCode()).isEqualTo(400);
      var error = new ObjectMapper().readTree(openAi.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).contains("x-orchestrator-cache-ttl");
      HttpResponse<String> anthropic = gw.post("/v1/messages",
          "{\"model\":\"sim-small\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
          "x-orchestrator-cache-ttl", "0");
      assertThat(anthropic.statusCode()).isEqualTo(400);
      var body = new ObjectMapper().readTree(anthropic.body());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(gw.simStats("s").path("requests").asInt()).isZero();
    }
  }

  @Test
  void aHitIsBilledAsAHitAndCountsWhatItSaved() {
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, ttl: 60}\n" + PROVIDERS)) {
      gw.simulate("s", "{\"promptTokens\":1000,\"completionTokens\":500}");
      gw.post("/v1/chat/completions", chat(""), "x-tenant-id", "acme");
      gw.post("/v1/chat/completions", chat(""), "x-tenant-id", "acme");
      gw.post("/v1/chat/completions", chat(""), "x-tenant-id", "acme");
      var m = gw.metrics();
      // 1000 × $3/M + 500 × $6/M = $0.006, charged once; the two hits saved it twice.
      assertThat(m.sum("orchestrator_provider_cost_dollars_total", "provider", "sim")).isCloseTo(0.006, within(1e-9));
      assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "sim")).isEqualTo(1500);
      assertThat(m.sum("orchestrator_cache_saved_dollars_total", "model", "sim-small", "tenant", "acme"))
          .isCloseTo(0.012, within(1e-9));
      assertThat(m.sum("orchestrator_cache_saved_tokens_total", "type", "prompt")).isEqualTo(2000);
      assertThat(m.sum("orchestrator_cache_saved_tokens_total", "type", "completion")).isEqualTo(1000);
      assertThat(m.sum("orchestrator_provider_cache_hits_total", "model", "sim-small")).isEqualTo(2);
      assertThat(m.sum("orchestrator_provider_cache_misses_total", "model", "sim-small")).isEqualTo(1);
    }
  }
}
