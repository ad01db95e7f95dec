package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        providers:
          alpha:
            baseUrl: ${SIM:alpha}
            apiKey: sk-alpha-secret-000111
            model: sim-small
            models: [sim-small, sim-large, text-embed]
        """);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void nonStreamingCompletionIsRelayedWithTheProvidersAnswer() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"), "x-request-id", "req-42");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("alpha");
    assertThat(r.headers().firstValue("x-request-id")).hasValue("req-42");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("sim-small");
    assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello from the simulator.");
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(10);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(20);
    // The provider got our credential, and the client's body unchanged.
    assertThat(gw.simStats("alpha").path("lastAuthorization").asText()).isEqualTo("Bearer sk-alpha-secret-000111");
    assertThat(JSON.readTree(gw.simStats("alpha").path("lastRequestBody").asText())).isEqualTo(JSON.readTree(chat("sim-small")));
  }

  @Test
  void modelsListsWhatTheProvidersServe() throws Exception {
    HttpResponse<String> r = gw.get("/v1/models");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").findValuesAsText("id")).containsExactly("sim-small", "sim-large", "text-embed");
    assertThat(body.path("data").get(0).path("owned_by").asText()).isEqualTo("alpha");
    assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
  }

  @Test
  void embeddingsAreRelayed() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"text-embed\",\"input\":[\"a\",\"b\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.path("data").get(1).path("embedding").isArray()).isTrue();
    assertThat(gw.simStats("alpha").path("embeddingRequests").asLong()).isPositive();
  }

  @Test
  void anUnknownModelGoesToThePreferredProviderUnchanged() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("mystery-model"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("model").asText()).isEqualTo("mystery-model");
  }
}
