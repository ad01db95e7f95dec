package dev.ossaat.orchestrator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.RedisKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-request caps and limits with {@code auth.mode: headers} (the asserted tenant and user): the
 * demo's identity is limited like a key's, and every route passes the same admission.
 */
class RequestCapsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RedisKeys redis = new RedisKeys();
  private TestGateway gw;

  @AfterEach
  void stop() {
    try {
      if (gw != null) gw.close();
    } finally {
      redis.close();
    }
  }

  private void start(String limits) {
    gw = TestGateway.start("""
        redis: {keyPrefix: "%s", commandTimeout: 2s}
        limits: %s
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, models: [sim-small]}
        """.formatted(redis.prefix, limits));
  }

  @Test
  void maxTokensAboveTheCapIsClampedBeforeTheProviderSeesIt() throws Exception {
    start("{maxTokens: 50}");
    HttpResponse<String> r = gw.post("/v1/chat/completions",
        "{\"model\":\"sim-small\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-max-tokens-clamped")).hasValue("50");
    assertThat(gw.send(java.net.http.HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/a/last-request")).GET().build()).body())
        .contains("\"max_tokens\":50").doesNotContain("5000");
  }

  @Test
  void maxTokensAboveTheCapIsRefusedWhenTheConfigSaysReject() throws Exception {
    start("{maxTokens: 50, maxTokensPolicy: reject}");
    HttpResponse<String> r = gw.post("/v1/messages",
        "{\"model\":\"sim-small\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(r.body()).contains("at most 50");
    assertThat(gw.simStats("a").path("requests").asInt()).isZero();
    assertThat(gw.metrics().sum("orchestrator_limit_rejections_total", "reason", "max_tokens", "scope", "request")).isEqualTo(1);
  }

  @Test
  void aPromptLargerThanTheCapIsRefused() {
    start("{maxPromptTokens: 20}");
    String big = "word ".repeat(200);
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"sim-small\",\"input\":\"" + big + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"code\":\"prompt_too_large\"");
    assertThat(gw.post("/v1/embeddings", "{\"model\":\"sim-small\",\"input\":\"short\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void aTenantsUseOfOneModelHasLimitsOfItsOwn() {
    start("{models: {sim-small: {requestsPerMinute: 1}}}");
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), "x-tenant-id", "acme").statusCode()).isEqualTo(200);
    HttpResponse<String> second = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), "x-tenant-id", "acme");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.body()).contains("model 'sim-small' of this tenant");
    // Per tenant: another tenant's use of the model is counted apart.
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), "x-tenant-id", "globex").statusCode()).isEqualTo(200);
    assertThat(gw.metrics().sum("orchestrator_limit_rejections_total", "scope", "model", "tenant_id", "acme")).isEqualTo(1);
  }

  @Test
  void headerIdentitiesAreLimitedPerUserOnEveryRoute() {
    start("{user: {requestsPerMinute: 3}}");
    String[] alice = {"x-tenant-id", "acme", "x-user-id", "alice"};
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), alice).statusCode()).isEqualTo(200);
    assertThat(gw.post("/v1/embeddings", "{\"model\":\"sim-small\",\"input\":\"x\"}", alice).statusCode()).isEqualTo(200);
    assertThat(gw.post("/v1/messages", "{\"model\":\"sim-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "anthropic-version", "2023-06-01", "x-tenant-id", "acme", "x-user-id", "alice").statusCode()).isEqualTo(200);
    HttpResponse<String> fourth = gw.post("/v1/messages/count_tokens",
        "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "anthropic-version", "2023-06-01",
        "x-tenant-id", "acme", "x-user-id", "alice");
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(fourth.body()).contains("\"type\":\"rate_limit_error\"").contains("user 'alice'");
    assertThat(fourth.headers().firstValue("retry-after")).isPresent();
    // Another user of the tenant has a bucket of its own.
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), "x-tenant-id", "acme", "x-user-id", "bob")
        .statusCode()).isEqualTo(200);
  }
}
