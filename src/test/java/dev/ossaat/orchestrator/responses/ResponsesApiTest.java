package dev.ossaat.orchestrator.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/responses} over raw HTTP through the real server: what the SDK tests cannot see (event
 * order and names, error bodies, the memory store's TTL on the gateway's clock, Redis down, a client
 * that leaves mid-stream, thinking signatures carried across turns).
 */
class ResponsesApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT = "Hello from the simulator.";
  private TestGateway gw;

  private static String config(String extra) {
    return """
        %s
        providers:
          retry: {maxAttempts: 1}
          chat:
            baseUrl: ${SIM:chat}
            apiKeyRequired: false
            model: gpt-4o-mini
          claude:
            type: anthropic
            baseUrl: ${SIM:claude}
            apiKeyRequired: false
            model: claude-sonnet-4-5
        """.formatted(extra);
  }

  private void start(String extra) {
    gw = TestGateway.start(config(extra));
    healthy();
  }

  private void healthy() {
    for (String s : List.of("chat", "claude")) {
      gw.simulate(s, "{\"content\":\"" + CONTENT + "\",\"chunks\":3,\"promptTokens\":10,\"completionTokens\":20}");
    }
  }

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private HttpResponse<String> create(String body, String... headers) {
    return gw.post("/v1/responses", body, headers);
  }

  /** The SSE events of a body: [event name, data JSON] pairs; every event's name equals its data's type. */
  static List<JsonNode> events(String body) {
    assertThat(body).endsWith("\n\n");
    List<JsonNode> out = new ArrayList<>();
    for (String raw : body.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : raw.split("\n")) {
        if (line.startsWith("event: ")) name = line.substring(7);
        if (line.startsWith("data: ")) data = line.substring(6);
      }
      JsonNode d = json(data);
      assertThat(d.path("type").asText()).as("event name and type").isEqualTo(name);
      out.add(d);
    }
    return out;
  }

  static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  // ----------------------------------------------------------------- streams

  @Test
  void aStreamHasTheResponsesEventsInOrderWithConsecutiveSequenceNumbers() {
    start("");
    for (String model : List.of("gpt-4o-mini", "claude-sonnet-4-5")) {
      HttpResponse<String> r = create("{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"Say hello\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<JsonNode> events = events(r.body());
      assertThat(types(events)).as(model).containsExactly("response.created", "response.in_progress",
          "response.output_item.added", "response.content_part.added", "response.output_text.delta",
          "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
          "response.content_part.done", "response.output_item.done", "response.completed");
      for (int i = 0; i < events.size(); i++) assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
      JsonNode completed = events.get(events.size() - 1).path("response");
      assertThat(completed.path("status").asText()).isEqualTo("completed");
      assertThat(completed.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
      assertThat(completed.path("usage").path("input_tokens").asInt()).isEqualTo(10);
      assertThat(completed.path("usage").path("output_tokens").asInt()).isEqualTo(20);
      assertThat(completed.path("usage").path("total_tokens").asInt()).isEqualTo(30);
      assertThat(completed.path("id").asText()).isEqualTo(events.get(0).path("response").path("id").asText());
    }
  }

  @Test
  void theOutputLimitMakesAnIncompleteResponse() {
    start("");
    for (String model : List.of("gpt-4o-mini", "claude-sonnet-4-5")) {
      JsonNode plain = json(create("{\"model\":\"" + model + "\",\"max_output_tokens\":10,\"input\":\"Say hello\"}").body());
      assertThat(plain.path("status").asText()).as(model).isEqualTo("incomplete");
      assertThat(plain.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
      assertThat(plain.path("max_output_tokens").asInt()).isEqualTo(10);
      List<JsonNode> events = events(create("{\"model\":\"" + model + "\",\"stream\":true,\"max_output_tokens\":10,\"input\":\"Hi\"}").body());
      JsonNode last = events.get(events.size() - 1);
      assertThat(last.path("type").asText()).as(model).isEqualTo("response.incomplete");
      assertThat(last.path("response").path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    }
  }

  @Test
  void aStreamCutMidAnswerEndsWithResponseFailedAndAnErrorEventAndCountsAsAnError() {
    start("");
    gw.simulate("claude", "{\"content\":\"" + CONTENT + "\",\"chunks\":3,\"fault\":\"cut_stream\",\"faultRate\":1.0,\"cutAfterChunks\":2}");
    List<JsonNode> events = events(create("{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"input\":\"Say hello\"}").body());
    List<String> types = types(events);
    assertThat(types).doesNotContain("response.completed");
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("response.failed", "error");
    assertThat(events.get(events.size() - 2).path("response").path("status").asText()).isEqualTo("failed");
    assertThat(events.get(events.size() - 1).path("error").path("message").asText()).contains("claude");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "claude", "status", "error")).isEqualTo(1));
  }

  @Test
  void aClientLeavingMidStreamCancelsTheUpstreamStoresNothingAndKeepsTheUsage() throws Exception {
    start("");
    gw.simulate("chat", "{\"content\":\"" + CONTENT + "\",\"chunks\":20,\"chunkIntervalMs\":200}");
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"Say hello\"}";
    String id;
    try (Socket socket = new Socket("127.0.0.1", gw.gateway.port())) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
          + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("response.output_text.delta")) seen.append((char) in.read());
      int at = seen.indexOf("\"id\":\"resp_") + 6;
      id = seen.substring(at, seen.indexOf("\"", at));
    }
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(gw.simStats("chat").path("clientClosedEarly").asLong()).isEqualTo(1));
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      Metrics m = gw.metrics();
      assertThat(m.sum("orchestrator_provider_requests_total", "provider", "chat", "status", "cancelled")).isEqualTo(1);
      assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "chat", "type", "prompt")).isPositive();
      assertThat(m.sum("orchestrator_responses_store_operations_total", "operation", "put")).isZero();
    });
    assertThat(gw.get("/v1/responses/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void aNativeResponsesStreamWithoutUsageIsEstimatedFromWhatItRelayed() {
    gw = TestGateway.start("""
        providers:
          native: {baseUrl: "${SIM:native}", apiKeyRequired: false, model: gpt-4.1-mini, responsesApi: true}
        """);
    gw.simulate("native", "{\"content\":\"" + CONTENT + " " + CONTENT + "\",\"chunks\":4,\"omitUsage\":true}");
    List<JsonNode> events = events(create("{\"model\":\"gpt-4.1-mini\",\"stream\":true,\"input\":\"Say hello twice\"}").body());
    assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("response.completed");
    assertThat(events.get(events.size() - 1).path("response").has("usage")).isFalse();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Metrics m = gw.metrics();
      assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "native", "type", "completion")).isGreaterThan(5);
      assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "native", "type", "prompt")).isPositive();
    });
  }

  @Test
  void aFallbackFromANativeResponsesProviderToAChatProviderIsTranslatedForTheWinner() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          native: {baseUrl: "${SIM:native}", apiKeyRequired: false, model: gpt-4o-mini, responsesApi: true}
          chat: {baseUrl: "${SIM:chat}", apiKeyRequired: false, model: gpt-4o-mini}
        """);
    healthy();
    for (boolean stream : List.of(false, true)) {
      gw.simulate("native", "{\"fault\":\"error\",\"faultRate\":1.0,\"errorStatus\":500}");
      HttpResponse<String> r = create("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"input\":\"Say hello\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("chat");
      JsonNode response = stream ? events(r.body()).get(events(r.body()).size() - 1).path("response") : json(r.body());
      assertThat(response.path("object").asText()).isEqualTo("response");
      assertThat(response.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
      assertThat(lastRequest("chat").path("path").asText()).endsWith("/chat/completions");
    }
  }

  // ----------------------------------------------------------------- conversations

  @Test
  void anAnthropicThinkingSignatureSurvivesTheRoundTripAsEncryptedContent() {
    start("");
    JsonNode first = json(create("""
        {"model":"claude-sonnet-4-5","max_output_tokens":2048,"reasoning":{"effort":"low"},"input":"Say hello"}""").body());
    JsonNode reasoning = first.path("output").path(0);
    assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
    assertThat(reasoning.path("summary").path(0).path("text").asText()).isNotEmpty();
    assertThat(reasoning.path("encrypted_content").asText()).isNotEmpty();
    assertThat(first.path("output").path(1).path("type").asText()).isEqualTo("message");
    create("{\"model\":\"claude-sonnet-4-5\",\"max_output_tokens\":2048,\"reasoning\":{\"effort\":\"low\"},"
        + "\"previous_response_id\":\"" + first.path("id").asText() + "\",\"input\":\"Again\"}");
    JsonNode sent = lastRequest("claude");
    assertThat(sent.path("assistantThinking")).isEqualTo(json("{\"blocks\":1,\"intact\":1}"));
  }

  @Test
  void reasoningGoesBackOnlyToAProviderThatCanVerifyIt() {
    gw = TestGateway.start("""
        providers:
          claude: {type: anthropic, baseUrl: "${SIM:claude}", apiKeyRequired: false, model: claude-sonnet-4-5}
          native: {baseUrl: "${SIM:native}", apiKeyRequired: false, model: gpt-4.1-mini, responsesApi: true}
        """);
    healthy();
    gw.simulate("native", "{\"content\":\"" + CONTENT + "\",\"chunks\":3}");
    JsonNode first = json(create("""
        {"model":"claude-sonnet-4-5","max_output_tokens":2048,"reasoning":{"effort":"low"},"input":"Say hello"}""").body());
    assertThat(first.path("output").path(0).path("id").asText()).startsWith("rs_orc_");
    // A native Responses provider cannot verify Anthropic's signature: our reasoning item is left out.
    create("{\"model\":\"gpt-4.1-mini\",\"previous_response_id\":\"" + first.path("id").asText() + "\",\"input\":\"Again\"}");
    JsonNode input = lastRequest("native").path("body").path("input");
    assertThat(input.toString()).doesNotContain("rs_orc_").contains(CONTENT).contains("Again");
    assertThat(input).hasSize(3);
    // A Responses provider's own reasoning item is not a signature Anthropic could check: not sent as thinking.
    create("""
        {"model":"claude-sonnet-4-5","input":[{"role":"user","content":"Hi"},
          {"type":"reasoning","id":"rs_0123","summary":[{"type":"summary_text","text":"Thinking."}],"encrypted_content":"gAAAAB-openai"},
          {"role":"assistant","content":[{"type":"output_text","text":"Hello"}]},{"role":"user","content":"Again"}]}""");
    JsonNode sent = lastRequest("claude");
    assertThat(sent.path("assistantThinking").path("blocks").asInt()).isZero();
    assertThat(sent.path("body").toString()).doesNotContain("gAAAAB-openai");
  }

  @Test
  void theFirstTurnsInstructionsAreNotCarriedOverButItsItemsAre() {
    start("");
    JsonNode first = json(create("{\"model\":\"gpt-4o-mini\",\"instructions\":\"Talk like a pirate\",\"input\":\"Hi\"}").body());
    create("{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be formal\",\"previous_response_id\":\"" + first.path("id").asText()
        + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"And now?\"}]}]}");
    JsonNode messages = lastRequest("chat").path("body").path("messages");
    assertThat(messages.toString()).doesNotContain("pirate");
    assertThat(messages.get(0)).isEqualTo(json("{\"role\":\"system\",\"content\":\"Be formal\"}"));
    assertThat(messages.get(1)).isEqualTo(json("{\"role\":\"user\",\"content\":\"Hi\"}"));
    assertThat(messages.get(2)).isEqualTo(json("{\"role\":\"assistant\",\"content\":\"" + CONTENT + "\"}"));
    assertThat(messages.get(3)).isEqualTo(json("{\"role\":\"user\",\"content\":\"And now?\"}"));
  }

  @Test
  void theMemoryStoreForgetsAfterItsTtlOnTheGatewaysClock() {
    ManualClock clock = new ManualClock();
    gw = TestGateway.start(config("responses: {store: memory, ttl: 60s}"), clock);
    healthy();
    String id = json(create("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}").body()).path("id").asText();
    clock.advance(Duration.ofSeconds(59));
    assertThat(gw.get("/v1/responses/" + id).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> gone = gw.get("/v1/responses/" + id);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone.body()).path("error").path("code").asText()).isEqualTo("response_not_found");
    HttpResponse<String> follow = create("{\"model\":\"gpt-4o-mini\",\"previous_response_id\":\"" + id + "\",\"input\":\"x\"}");
    assertThat(follow.statusCode()).isEqualTo(400);
    assertThat(json(follow.body()).path("error").path("param").asText()).isEqualTo("previous_response_id");
  }

  @Test
  void redisDownFailsFollowUpsClearlyButNotFreshAnswers() {
    start("redis: {url: \"redis://127.0.0.1:1\", commandTimeout: 200ms}\nresponses: {store: redis}");
    HttpResponse<String> fresh = create("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}");
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(json(fresh.body()).path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
    HttpResponse<String> follow = create("{\"model\":\"gpt-4o-mini\",\"previous_response_id\":\"" + json(fresh.body()).path("id").asText()
        + "\",\"input\":\"x\"}");
    assertThat(follow.statusCode()).isEqualTo(503);
    assertThat(json(follow.body()).path("error").path("code").asText()).isEqualTo("response_store_unavailable");
    HttpResponse<String> get = gw.get("/v1/responses/resp_whatever");
    assertThat(get.statusCode()).isEqualTo(503);
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_responses_store_operations_total", "operation", "put", "result", "error")).isEqualTo(1);
    assertThat(m.sum("orchestrator_responses_store_operations_total", "operation", "get", "result", "error")).isEqualTo(2);
    assertThat(m.sum("orchestrator_redis_errors_total", "use", "responses")).isGreaterThanOrEqualTo(3);
  }

  // ----------------------------------------------------------------- bad input, errors, the route's accounting

  @Test
  void badInputIsA400InTheOpenAiErrorShape() {
    start("");
    String[][] cases = {
        {"{\"model\":\"gpt-4o-mini\"}", "input"},
        {"{\"model\":\"gpt-4o-mini\",\"input\":42}", "input"},
        {"{\"model\":\"gpt-4o-mini\",\"input\":[\"text\"]}", "input"},
        {"{\"input\":\"hi\"}", "model"},
        {"{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"previous_response_id\":7}", "previous_response_id"},
        {"{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"store\":\"no\"}", "store"},
        {"{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":\"yes\"}", "stream"},
        {"not json", null},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = create(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode error = json(r.body()).path("error");
      assertThat(error.path("type").asText()).as(c[0]).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).as(c[0]).isNotEmpty();
      if (c[1] != null) assertThat(error.path("param").asText()).as(c[0]).isEqualTo(c[1]);
    }
    // A request the provider's format cannot carry is refused before any provider call.
    HttpResponse<String> item = create("{\"model\":\"claude-sonnet-4-5\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}");
    assertThat(item.statusCode()).isEqualTo(400);
    assertThat(json(item.body()).path("error").path("message").asText()).contains("item_reference");
    assertThat(gw.simStats("claude").path("requests").asLong()).isZero();
  }

  @Test
  void aProviderErrorReachesTheClientInTheResponsesErrorShape() {
    start("");
    gw.simulate("claude", "{\"fault\":\"error\",\"faultRate\":1.0,\"errorStatus\":400}");
    HttpResponse<String> r = create("{\"model\":\"claude-sonnet-4-5\",\"input\":\"hi\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = json(r.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).isNotEmpty();
    gw.simulate("chat", "{\"fault\":\"error\",\"faultRate\":1.0,\"errorStatus\":500}");
    HttpResponse<String> s = create("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}");
    assertThat(s.statusCode()).isEqualTo(502);
    assertThat(json(s.body()).path("error").path("type").asText()).isEqualTo("upstream_error");
  }

  @Test
  void everyResponsesRouteIsCountedAndLoggedLikeTheOthers() {
    start("");
    String id = json(create("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}", "x-tenant-id", "t1").body()).path("id").asText();
    assertThat(gw.get("/v1/responses/" + id, "x-tenant-id", "t1").statusCode()).isEqualTo(200);
    assertThat(gw.get("/v1/responses/" + id, "x-tenant-id", "t2").statusCode()).isEqualTo(404);
    HttpResponse<String> del = gw.send(HttpRequest.newBuilder(gw.uri("/v1/responses/" + id)).header("x-tenant-id", "t1").DELETE().build());
    assertThat(json(del.body())).isEqualTo(json("{\"id\":\"" + id + "\",\"object\":\"response\",\"deleted\":true}"));
    assertThat(gw.get("/v1/responses/" + id, "x-tenant-id", "t1").statusCode()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Metrics m = gw.metrics();
      assertThat(m.sum("orchestrator_http_requests_total", "route", "responses", "code", "200")).isEqualTo(3);
      assertThat(m.sum("orchestrator_http_requests_total", "route", "responses", "code", "404")).isEqualTo(2);
      assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "chat", "tenant_id", "t1", "type", "prompt")).isEqualTo(10);
      assertThat(m.sum("orchestrator_responses_store_operations_total", "operation", "delete", "result", "ok")).isEqualTo(1);
      assertThat(m.sum("orchestrator_responses_store_operations_total", "operation", "get", "result", "miss")).isEqualTo(2);
    });
  }

  private JsonNode lastRequest(String scenario) {
    return json(gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + scenario + "/last-request")).GET().build()).body());
  }
}
