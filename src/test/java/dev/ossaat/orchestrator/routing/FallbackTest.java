package dev.ossaat.orchestrator.routing;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FallbackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String THREE_PROVIDERS = """
      providers:
        a: {baseUrl: "${SIM:a}", apiKey: sk-aaaa-1111, model: sim-small, timeout: 400ms}
        b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        c: {baseUrl: "${SIM:c}", apiKeyRequired: false, model: sim-small}
      """;
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private HttpResponse<String> complete() {
    return gw.post("/v1/chat/completions", chat("sim-small"));
  }

  @Test
  void aServerErrorFallsBackToTheNextProviderInPreferenceOrder() {
    gw = TestGateway.start(THREE_PROVIDERS);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    HttpResponse<String> r = complete();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    // One retry of a (retry.maxAttempts defaults to 2), then the next provider in order.
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(2);
    assertThat(gw.simStats("c").path("requests").asLong()).isZero();
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "a", "status", "error", "error_type", "server_error")).isEqualTo(2);
    assertThat(m.sum("orchestrator_provider_retries_total", "provider", "a", "reason", "server_error")).isEqualTo(2);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "b", "status", "success")).isEqualTo(1);
  }

  @Test
  void providerPreferenceSetsTheOrder() {
    gw = TestGateway.start(THREE_PROVIDERS, Map.of("PROVIDER_PREFERENCE", "c,b"));
    assertThat(complete().headers().firstValue("x-orchestrator-provider")).hasValue("c");
    gw.simulate("c", "{\"fault\":\"error\"}");
    assertThat(complete().headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(gw.simStats("a").path("requests").asLong()).isZero();
  }

  @Test
  void aClientErrorGoesBackAsTheProviderSentItWithoutFallback() throws Exception {
    gw = TestGateway.start(THREE_PROVIDERS);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":400}");
    HttpResponse<String> r = complete();
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(gw.simStats("b").path("requests").asLong()).isZero();
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "bad_request")).isEqualTo(1);
    assertThat(gw.metrics().sum("orchestrator_provider_retries_total")).isZero();
  }

  @Test
  void whenEveryProviderRateLimitsTheClientIsToldToBackOff() throws Exception {
    gw = TestGateway.start(THREE_PROVIDERS);
    // Longer than retry.maxRetryAfter (10s): not worth waiting for, not even on the last provider.
    for (String p : new String[] {"a", "b", "c"}) gw.simulate(p, "{\"fault\":\"rate_limit\",\"retryAfterSeconds\":30}");
    long start = System.nanoTime();
    HttpResponse<String> r = complete();
    // Not waited for anywhere: each provider called once, and far less than the 30s asked for.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    for (String p : new String[] {"a", "b", "c"}) assertThat(gw.simStats(p).path("requests").asLong()).as(p).isEqualTo(1);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("30");
    assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "error_type", "rate_limit")).isEqualTo(3);
  }

  @Test
  void aRejectedCredentialFallsBackAndIsNeverEchoed() throws Exception {
    gw = TestGateway.start(THREE_PROVIDERS);
    gw.simulate("a", "{\"requireApiKey\":\"sk-the-right-one\"}");
    HttpResponse<String> r = complete();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "auth")).isEqualTo(1);
    assertThat(gw.get("/health/providers").body()).doesNotContain("sk-aaaa-1111");
  }

  @Test
  void aConnectionResetFallsBack() {
    gw = TestGateway.start(THREE_PROVIDERS);
    gw.simulate("a", "{\"fault\":\"reset\"}");
    HttpResponse<String> r = complete();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "network")).isEqualTo(2);
  }

  @Test
  void aHangingProviderTimesOutAndFallsBack() {
    gw = TestGateway.start(THREE_PROVIDERS);
    gw.simulate("a", "{\"fault\":\"hang\"}");
    long start = System.nanoTime();
    HttpResponse<String> r = complete();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(ms).isGreaterThanOrEqualTo(400); // a's timeout ran out first: a lower bound holds on any machine
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_timeouts_total", "provider", "a")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "timeout")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_retries_total", "provider", "a", "reason", "timeout")).isEqualTo(1);
  }

  @Test
  void whenAllFailTheClientGets502NamingTheLastProvider() throws Exception {
    gw = TestGateway.start(THREE_PROVIDERS);
    for (String p : new String[] {"a", "b", "c"}) gw.simulate(p, "{\"fault\":\"error\",\"errorStatus\":503}");
    HttpResponse<String> r = complete();
    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("message").asText()).contains("provider c failed");
    assertThat(error.path("code").asText()).isEqualTo("server_error");
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("c");
    // Each provider tried twice (one retry each): six attempts, five of them followed by another.
    assertThat(gw.simStats("c").path("requests").asLong()).isEqualTo(2);
    assertThat(gw.metrics().sum("orchestrator_provider_retries_total")).isEqualTo(5);
  }
}
