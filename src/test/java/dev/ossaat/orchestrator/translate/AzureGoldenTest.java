package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI behind the real gateway, against the simulator's Azure paths: an OpenAI client (its
 * bytes pass through to the model's deployment) and an Anthropic one (translated). Three providers of
 * type azure: {@value #SCENARIO} on the dated deployments API with the api-key header, {@code azure-v1}
 * on the v1 API, {@code azure-entra} with a bearer token. Golden files in {@code golden/openai-to-azure}.
 */
class AzureGoldenTest extends GoldenTestBase {
  static final String MODEL = "gpt-4o";
  static final String SAY_HELLO = OpenAiClientGoldenCases.SAY_HELLO;

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  WireFormat provider() {
    return WireFormat.OPENAI;
  }

  @Override
  String pair() {
    return "openai-to-azure";
  }

  @Override
  String model() {
    return MODEL;
  }

  @Override
  @BeforeAll
  void startGateway() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 10000}
          %s:
            type: azure
            baseUrl: ${SIM:%s}
            apiKey: %s
            apiVersion: 2024-10-21
            deployments: {gpt-4o: my-gpt4o}
            models: [gpt-4o]
          azure-v1:
            type: azure
            baseUrl: ${SIM:azure-v1}
            apiKey: %s
            apiVersion: v1
            deployments: {gpt-4.1: my-gpt41}
            models: [gpt-4.1]
          azure-entra:
            type: azure-openai
            baseUrl: ${SIM:azure-entra}
            apiKey: %s
            auth: bearer
            models: [gpt-4.1-mini]
        """.formatted(SCENARIO, SCENARIO, PROVIDER_KEY, PROVIDER_KEY, PROVIDER_KEY));
  }

  @Override
  ObjectNode providerRequestPart(ObjectNode last) {
    ObjectNode part = super.providerRequestPart(last);
    JsonNode key = last.path("headers").get("api-key");
    if (key != null) ((ObjectNode) part.get("headers")).set("api-key", key);
    return part;
  }

  String chat(String fields, String messages) {
    return "{\"model\":\"" + model() + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }

  JsonNode lastRequestOf(String scenario) {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + scenario + "/last-request")).GET().build());
    return parse(r.body());
  }

  @Test
  void plainTextToTheDeployment() {
    profile();
    String request = chat("", SAY_HELLO);
    Recorded r = golden("plain_text", request);
    assertThat(r.last().path("path").asText())
        .isEqualTo("/" + SCENARIO + "/v1/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21");
    assertThat(r.last().path("headers").path("api-key").asText()).isEqualTo("<redacted>");
    assertThat(r.last().path("headers").has("authorization")).isFalse();
    assertThat(r.last().path("apiKeyMatched").asBoolean()).isTrue();
    assertThat(r.last().path("body")).as("an OpenAI client's bytes pass through").isEqualTo(parse(request));
    assertThat(r.answer().json().path("choices").path(0).path("message").path("content").asText()).isEqualTo(CONTENT);
  }

  @Test
  void plainTextStream() {
    profile();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true", SAY_HELLO));
    assertThat(r.last().path("body").path("stream_options").path("include_usage").asBoolean()).isTrue();
    ArrayNode events = r.answer().events();
    assertThat(OpenAiClientGoldenCases.streamedContent(events)).isEqualTo(CONTENT);
    OpenAiClientGoldenCases.assertCleanEnd(events);
  }

  @Test
  void toolCall() {
    profile();
    Recorded r = golden("tool_call", chat("\"tools\":" + OpenAiClientGoldenCases.TOOLS, "[{\"role\":\"user\",\"content\":\"Weather?\"}]"));
    assertThat(r.answer().json().path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
  }

  /** Usage with cached and reasoning tokens, priced as the model the deployment serves (gpt-4o). */
  @Test
  void usagePricedAsTheModel() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"completionTokens\":15,\"reasoningTokens\":5");
    Tokens before = tokens();
    double cost = gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", SCENARIO, "model", MODEL);
    Recorded r = golden("usage", chat("", SAY_HELLO));
    assertThat(r.answer().json().path("usage").path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
    assertTokensMoved(before, new Tokens(100, 15, 30, 0, 5));
    double expected = (70 * 2.50 + 30 * 1.25 + 15 * 10.00) / 1_000_000;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", SCENARIO, "model", MODEL) - cost)
            .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12)));
  }

  /** Azure's content filter refuses the prompt: a 400 with code content_filter, as Azure sent it, not retried. */
  @Test
  void contentFilterRefusal() {
    profile();
    long before = gw.simStats(SCENARIO).path("chatRequests").asLong();
    Recorded r = golden("content_filter", chat("", "[{\"role\":\"user\",\"content\":\"[sim:content_filter] x\"}]"));
    assertThat(r.answer().status()).isEqualTo(400);
    JsonNode error = r.answer().json().path("error");
    assertThat(error.path("code").asText()).isEqualTo("content_filter");
    assertThat(error.path("innererror").path("code").asText()).isEqualTo("ResponsibleAIPolicyViolation");
    assertThat(gw.simStats(SCENARIO).path("chatRequests").asLong() - before).as("not retried").isEqualTo(1);
  }

  /** An Anthropic client gets the refusal in its own error shape, naming the content filter. */
  @Test
  void contentFilterForAnAnthropicClient() {
    profile();
    HttpResponse<String> r = gw.post("/v1/messages", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"[sim:content_filter] x\"}]}", "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = parse(r.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asText()).contains("content_filter").contains("content management policy");
  }

  /** An answer Azure's filter cut: finish_reason content_filter as sent; Anthropic's refusal, streamed too. */
  @Test
  void filteredAnswer() {
    profile();
    String prompt = "[{\"role\":\"user\",\"content\":\"[sim:filtered_answer] x\"}]";
    Recorded r = golden("filtered_answer", chat("", prompt));
    assertThat(r.answer().json().path("choices").path(0).path("finish_reason").asText()).isEqualTo("content_filter");
    Recorded stream = golden("filtered_answer_stream", chat("\"stream\":true", prompt));
    assertThat(OpenAiClientGoldenCases.streamedFinish(stream.answer().events())).containsExactly("content_filter");
    OpenAiClientGoldenCases.assertCleanEnd(stream.answer().events());
    HttpResponse<String> anthropic = gw.post("/v1/messages", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":" + prompt + "}",
        "anthropic-version", "2023-06-01");
    assertThat(parse(anthropic.body()).path("stop_reason").asText()).isEqualTo("refusal");
    HttpResponse<String> anthropicStream = gw.post("/v1/messages", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"stream\":true,"
        + "\"messages\":" + prompt + "}", "anthropic-version", "2023-06-01");
    assertThat(AnthropicClientGoldenCases.streamedStop(sseEvents(anthropicStream.body()))).containsExactly("refusal");
  }

  @Test
  void anthropicClientTranslated() {
    profile();
    HttpResponse<String> r = gw.post("/v1/messages", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(parse(r.body()).path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
    JsonNode last = lastRequest();
    assertThat(last.path("path").asText()).contains("/openai/deployments/my-gpt4o/chat/completions?api-version=");
    assertThat(last.path("body").path("messages").path(0)).isEqualTo(parse("{\"role\":\"system\",\"content\":\"Be brief.\"}"));
  }

  @Test
  void wrongKeyIsAuth() {
    profile("\"requireApiKey\":\"another\"");
    Recorded r = exchange(chat("", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden("error_401", golden);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(r.answer().json().path("error").path("code").asText()).isEqualTo("auth");
  }

  @Test
  void rateLimitWithItsDelay() {
    profile("\"fault\":\"rate_limit\",\"retryAfterMs\":4000");
    Recorded r = exchange(chat("", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().header("retry-after")).isEqualTo("4");
  }

  /** The v1 API: no api-version, the deployment as the body's model. */
  @Test
  void v1ApiNamesTheDeploymentInTheBody() {
    gw.simulate("azure-v1", "{\"requireApiKey\":\"" + PROVIDER_KEY + "\"}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"gpt-4.1\",\"messages\":" + SAY_HELLO + "}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode last = lastRequestOf("azure-v1");
    assertThat(last.path("path").asText()).isEqualTo("/azure-v1/v1/openai/v1/chat/completions");
    assertThat(last.path("body").path("model").asText()).isEqualTo("my-gpt41");
    assertThat(last.path("apiKeyMatched").asBoolean()).isTrue();
  }

  /** auth: bearer sends an Entra ID token as Authorization: Bearer, and no api-key. */
  @Test
  void bearerToken() {
    gw.simulate("azure-entra", "{\"requireApiKey\":\"" + PROVIDER_KEY + "\"}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"gpt-4.1-mini\",\"messages\":" + SAY_HELLO + "}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode last = lastRequestOf("azure-entra");
    assertThat(last.path("headers").path("authorization").asText()).isEqualTo("<redacted>");
    assertThat(last.path("headers").has("api-key")).isFalse();
    assertThat(last.path("path").asText()).as("a model without a deployment goes to one of its name")
        .isEqualTo("/azure-entra/v1/openai/deployments/gpt-4.1-mini/chat/completions?api-version=2024-10-21");
  }

  @Test
  void embeddingsToTheDeployment() {
    profile();
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"gpt-4o\",\"input\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(lastRequest().path("path").asText()).contains("/openai/deployments/my-gpt4o/embeddings?api-version=2024-10-21");
  }
}
