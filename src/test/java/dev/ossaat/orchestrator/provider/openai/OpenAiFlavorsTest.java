package dev.ossaat.orchestrator.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Mistral and OpenRouter through the OpenAI-compatible provider, against the simulator's scenarios
 * of the same names (which answer the way those services do): what the gateway sends Mistral, how
 * OpenRouter's usage, keep-alives, statuses and errors after a 200 are counted and classified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiFlavorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MISTRAL = "mistral-small-latest";
  private static final String ROUTED = "openai/gpt-4o-mini";
  private TestGateway gw;

  @BeforeAll
  void start() {
    gw = TestGateway.start("""
        routing: {preference: [mistral, openrouter, backup]}
        providers:
          retry: {maxAttempts: 1}
          mistral:
            baseUrl: ${SIM:mistral}
            apiKey: mk-test
            model: mistral-small-latest
            models: [mistral-small-latest]
          openrouter:
            baseUrl: ${SIM:openrouter}
            apiKey: sk-or-test
            model: openai/gpt-4o-mini
            models: [openai/gpt-4o-mini, meta-llama/llama-3.3-70b-instruct:free]
            headers: {HTTP-Referer: "https://orchestrator.example", X-Title: orchestrator}
          backup:
            baseUrl: ${SIM:backup}
            apiKeyRequired: false
            model: mistral-small-latest
            models: [mistral-small-latest, openai/gpt-4o-mini]
        """);
  }

  @AfterAll
  void stop() {
    if (gw != null) gw.close();
  }

  @BeforeEach
  void healthy() {
    gw.simulate("mistral", "{\"requireApiKey\":\"mk-test\"}");
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\"}");
    gw.simulate("backup", "{}");
  }

  private JsonNode lastRequest(String scenario) throws Exception {
    return JSON.readTree(gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + scenario + "/last-request")).GET().build()).body());
  }

  private static List<String> data(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) out.add(line.substring(6));
    }
    return out;
  }

  private double count(String metric, String... labels) {
    return gw.metrics().sum(metric, labels);
  }

  // ---- Mistral ----

  /** OpenAI's stream_options, seed and max_completion_tokens would be a 422 from Mistral. */
  @Test
  void mistralGetsItsOwnFieldNamesAndStillReportsStreamUsage() throws Exception {
    double before = count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion");
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"" + MISTRAL + "\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"seed\":7,\"max_completion_tokens\":50,\"user\":\"u1\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> events = data(r.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    JsonNode finish = JSON.readTree(events.get(events.size() - 2));
    assertThat(finish.path("usage").path("completion_tokens").asInt()).as("Mistral's usage, in its finish chunk").isEqualTo(20);
    JsonNode sent = lastRequest("mistral").path("body");
    assertThat(sent.has("stream_options")).isFalse();
    assertThat(sent.has("seed")).isFalse();
    assertThat(sent.has("user")).isFalse();
    assertThat(sent.path("random_seed").asInt()).isEqualTo(7);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion") - before).isEqualTo(20));
    assertThat(count("orchestrator_provider_estimated_tokens_total", "provider", "mistral")).isZero();
  }

  /** An Anthropic client's stream through Mistral: the usage in Mistral's finish chunk is its message_delta's. */
  @Test
  void anAnthropicStreamThroughMistralCountsMistralsUsage() throws Exception {
    double before = count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion");
    HttpResponse<String> r = gw.post("/v1/messages", "{\"model\":\"" + MISTRAL + "\",\"max_tokens\":100,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("event: message_stop").contains("\"output_tokens\":20");
    assertThat(lastRequest("mistral").path("body").has("stream_options")).isFalse();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion") - before).isEqualTo(20));
  }

  @Test
  void theFlavorFollowsTheHostThenTheName() {
    assertThat(OpenAiFlavor.of("eu", "https://api.mistral.ai/v1")).isEqualTo(OpenAiFlavor.MISTRAL);
    assertThat(OpenAiFlavor.of("code", "https://codestral.mistral.ai/v1")).isEqualTo(OpenAiFlavor.MISTRAL);
    assertThat(OpenAiFlavor.of("router", "https://openrouter.ai/api/v1")).isEqualTo(OpenAiFlavor.OPENROUTER);
    assertThat(OpenAiFlavor.of("mistral-eu", "http://127.0.0.1:8089/x/v1")).isEqualTo(OpenAiFlavor.MISTRAL);
    assertThat(OpenAiFlavor.of("openai", "https://api.openai.com/v1")).isEqualTo(OpenAiFlavor.OPENAI);
    assertThat(OpenAiFlavor.of("vllm", "http://notmistral.ai.example/v1")).isEqualTo(OpenAiFlavor.OPENAI);
    assertThat(MistralRequests.mistralId("toolu_01A09q90qw90lq917835lq9")).matches("[A-Za-z0-9]{9}")
        .isEqualTo(MistralRequests.mistralId("toolu_01A09q90qw90lq917835lq9"))
        .isNotEqualTo(MistralRequests.mistralId("toolu_01A09q90qw90lq917835lq8"));
  }

  /** A client that did not ask for usage does not get Mistral's (it is still counted). */
  @Test
  void mistralsUnaskedUsageIsCountedButNotRelayed() throws Exception {
    double before = count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.streamingChat(MISTRAL, false));
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> events = data(r.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    for (String e : events.subList(0, events.size() - 1)) assertThat(JSON.readTree(e).has("usage")).as(e).isFalse();
    assertThat(JSON.readTree(events.get(events.size() - 2)).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(count("orchestrator_provider_tokens_total", "provider", "mistral", "type", "completion") - before).isEqualTo(20));
  }

  @Test
  void anUnchangedMistralRequestKeepsItsBytes() throws Exception {
    String body = "{\"model\":\"" + MISTRAL + "\",  \"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    assertThat(gw.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
    assertThat(lastRequest("mistral").path("body")).isEqualTo(JSON.readTree(body));
  }

  /** An Anthropic conversation's toolu_ ids (and OpenAI's call_ ids) are not Mistral's nine characters. */
  @Test
  void foreignToolCallIdsBecomeMistralsNineCharacters() throws Exception {
    String messages = "{\"model\":\"" + MISTRAL + "\",\"max_tokens\":100,\"tools\":[{\"name\":\"get_weather\","
        + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}],\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A09q90qw90lq917835lq9\",\"content\":\"sunny\"}]}]}";
    HttpResponse<String> r = gw.post("/v1/messages", messages, "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode sent = lastRequest("mistral").path("body").path("messages");
    String callId = sent.path(1).path("tool_calls").path(0).path("id").asText();
    assertThat(callId).matches("[A-Za-z0-9]{9}");
    assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo(callId);

    HttpResponse<String> openAi = gw.post("/v1/chat/completions", "{\"model\":\"" + MISTRAL + "\",\"tool_choice\":\"required\","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],\"messages\":["
        + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc123xyz\","
        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_abc123xyz\",\"content\":\"ok\"}]}");
    assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(200);
    JsonNode sentOpenAi = lastRequest("mistral").path("body");
    assertThat(sentOpenAi.path("tool_choice").asText()).isEqualTo("any");
    assertThat(sentOpenAi.path("messages").path(1).path("tool_calls").path(0).path("id").asText())
        .matches("[A-Za-z0-9]{9}").isEqualTo(sentOpenAi.path("messages").path(2).path("tool_call_id").asText());
  }

  /** Mistral's 422 is the client's: passed back with Mistral's own detail, never retried elsewhere. */
  @Test
  void mistralsValidationErrorIsABadRequest() throws Exception {
    long backup = gw.simStats("backup").path("requests").asLong();
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"" + MISTRAL + "\",\"logprobs\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("extra_forbidden").contains("logprobs");
    assertThat(gw.simStats("backup").path("requests").asLong()).isEqualTo(backup);
    assertThat(count("orchestrator_provider_requests_total", "provider", "mistral", "error_type", "bad_request")).isPositive();
  }

  @Test
  void mistralsRateLimitFallsBack() throws Exception {
    gw.simulate("mistral", "{\"requireApiKey\":\"mk-test\",\"fault\":\"rate_limit\",\"retryAfterSeconds\":3}");
    double before = count("orchestrator_provider_requests_total", "provider", "mistral", "error_type", "rate_limit");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat(MISTRAL));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.simStats("backup").path("chatRequests").asLong()).isPositive();
    assertThat(count("orchestrator_provider_requests_total", "provider", "mistral", "error_type", "rate_limit") - before).isEqualTo(1);
  }

  @Test
  void aBadMistralKeyIsAuth() throws Exception {
    gw.simulate("mistral", "{\"requireApiKey\":\"another-key\"}");
    double before = count("orchestrator_provider_requests_total", "provider", "mistral", "error_type", "auth");
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat(MISTRAL)).statusCode()).isEqualTo(200); // the backup
    assertThat(count("orchestrator_provider_requests_total", "provider", "mistral", "error_type", "auth") - before).isEqualTo(1);
  }

  // ---- OpenRouter ----

  /** Keep-alive comments pass as comments; usage is OpenRouter's: cached, cache-write and reasoning tokens. */
  @Test
  void openRouterStreamWithKeepAlivesAndFullUsage() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"promptTokens\":1000,\"cachedPromptTokens\":400,"
        + "\"cacheCreationTokens\":100,\"completionTokens\":50,\"reasoningTokens\":20,\"chunkIntervalMs\":1}");
    Metrics m0 = gw.metrics();
    double cost0 = m0.sum("orchestrator_provider_cost_dollars_total", "provider", "openrouter");
    double read0 = m0.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "cache_read");
    double write0 = m0.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "cache_write");
    double reason0 = m0.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "reasoning");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.streamingChat(ROUTED, false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(": OPENROUTER PROCESSING");
    List<String> events = data(r.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) {
      JsonNode chunk = JSON.readTree(e); // every data event is JSON: the comments never became data
      assertThat(chunk.has("usage")).as("the client did not ask for usage").isFalse();
      text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertThat(text.toString()).isEqualTo("Hello from the simulator.");
    JsonNode sent = lastRequest("openrouter");
    assertThat(sent.path("headers").toString()).contains("orchestrator.example");
    // gpt-4o-mini's price for openai/gpt-4o-mini: 500 uncached + 100 written at 0.15, 400 read at 0.075, 50 out at 0.60.
    double expected = (600 * 0.15 + 400 * 0.075 + 50 * 0.60) / 1_000_000;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(count("orchestrator_provider_cost_dollars_total", "provider", "openrouter") - cost0).isCloseTo(expected, within(1e-12)));
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "cache_read") - read0).isEqualTo(400);
    assertThat(m.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "cache_write") - write0).isEqualTo(100);
    assertThat(m.sum("orchestrator_provider_token_details_total", "provider", "openrouter", "type", "reasoning") - reason0).isEqualTo(20);
  }

  /** An error after the 200: the client's stream ends with an error event, counted as an error, not retried. */
  @Test
  void openRouterMidStreamErrorEndsTheClientStream() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"fault\":\"stream_error\",\"cutAfterChunks\":2,\"chunkIntervalMs\":1}");
    long backup = gw.simStats("backup").path("requests").asLong();
    double before = count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "stream_cut");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.streamingChat(ROUTED, true));
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> events = data(r.body());
    assertThat(events).doesNotContain("[DONE]");
    JsonNode last = JSON.readTree(events.get(events.size() - 1));
    assertThat(last.path("error").path("code").asText()).isEqualTo("stream_cut");
    assertThat(last.path("error").path("message").asText()).contains("Provider disconnected");
    assertThat(r.body()).doesNotContain("\"finish_reason\":\"error\"");
    assertThat(count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "stream_cut") - before).isEqualTo(1);
    assertThat(gw.simStats("backup").path("requests").asLong()).isEqualTo(backup);
  }

  /** A 200 whose body is only an error is a failure of OpenRouter's upstream: the next provider answers. */
  @Test
  void openRouterErrorInA200FallsBack() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"fault\":\"stream_error\"}");
    double before = count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "server_error");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat(ROUTED));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hello from the simulator.");
    assertThat(count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "server_error") - before).isEqualTo(1);
  }

  /** Out of credits is not the request's fault: another provider serves it. */
  @Test
  void insufficientCreditsIsAuthAndFallsBack() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"fault\":\"error\",\"errorStatus\":402}");
    double before = count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "auth");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat(ROUTED));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "auth") - before).isEqualTo(1);
  }

  /** A flagged input is the request's: OpenRouter's 403 goes back as sent, no other provider is asked. */
  @Test
  void moderationFlagIsABadRequest() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"fault\":\"error\",\"errorStatus\":403}");
    long backup = gw.simStats("backup").path("requests").asLong();
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat(ROUTED));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("flagged");
    assertThat(gw.simStats("backup").path("requests").asLong()).isEqualTo(backup);
  }

  @Test
  void noUpstreamAvailableIsAnOverload() throws Exception {
    gw.simulate("openrouter", "{\"requireApiKey\":\"sk-or-test\",\"fault\":\"error\",\"errorStatus\":503}");
    double before = count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "provider_overloaded");
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat(ROUTED)).statusCode()).isEqualTo(200);
    assertThat(count("orchestrator_provider_requests_total", "provider", "openrouter", "error_type", "provider_overloaded") - before)
        .isEqualTo(1);
  }
}
