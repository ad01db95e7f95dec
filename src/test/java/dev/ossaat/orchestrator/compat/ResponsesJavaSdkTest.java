package dev.ossaat.orchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.WebSearchTool;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * com.openai:openai-java's {@code responses()} over real HTTP against two gateway replicas that share
 * one Redis response store (a key prefix of this test's own): a conversation begun on one replica is
 * continued, retrieved and deleted on the other. Three providers behind each: a Chat Completions one
 * (translated), an Anthropic one (translated), and an OpenAI one that speaks Responses natively
 * ({@code responsesApi: true}: pass-through).
 */
class ResponsesJavaSdkTest {
  static final String CONTENT = "Responses answer from the simulator.";
  static final String CHAT_MODEL = "gpt-4o-mini";
  static final String CLAUDE_MODEL = "claude-sonnet-4-5";
  static final String NATIVE_MODEL = "gpt-4.1-mini";
  static final String KEY = "sk-responses-compat-0042";
  static final dev.ossaat.orchestrator.testkit.RedisKeys REDIS = new dev.ossaat.orchestrator.testkit.RedisKeys();
  static final String PREFIX = REDIS.prefix;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestGateway a;
  private static TestGateway b;
  private static OpenAIClient clientA;
  private static OpenAIClient clientB;

  static String config(String prefix) {
    return """
        redis: {url: "redis://127.0.0.1:6379", keyPrefix: "%s"}
        responses: {store: redis, ttl: 10m}
        providers:
          retry: {maxAttempts: 1}
          chat:
            baseUrl: ${SIM:chat}
            apiKey: %s
            model: %s
          claude:
            type: anthropic
            baseUrl: ${SIM:claude}
            apiKey: %s
            model: %s
          native:
            baseUrl: ${SIM:native}
            apiKey: %s
            model: %s
            responsesApi: true
        """.formatted(prefix, KEY, CHAT_MODEL, KEY, CLAUDE_MODEL, KEY, NATIVE_MODEL);
  }

  @BeforeAll
  static void start() {
    a = TestGateway.start(config(PREFIX));
    b = TestGateway.start(config(PREFIX));
    clientA = client(a, Map.of());
    clientB = client(b, Map.of());
  }

  static OpenAIClient client(TestGateway gw, Map<String, String> headers) {
    OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
        .baseUrl(gw.uri("/v1").toString())
        .apiKey("client-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30));
    headers.forEach(builder::putHeader);
    return builder.build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clientA != null) clientA.close();
    if (clientB != null) clientB.close();
    if (a != null) a.close();
    if (b != null) b.close();
    REDIS.close();
  }

  @BeforeEach
  void healthy() {
    for (TestGateway gw : List.of(a, b)) {
      for (String scenario : List.of("chat", "claude", "native")) gw.simulate(scenario, profile(""));
    }
  }

  static String profile(String extra) {
    return "{\"requireApiKey\":\"" + KEY + "\",\"content\":\"" + CONTENT + "\",\"chunks\":4,\"promptTokens\":21,"
        + "\"completionTokens\":9,\"cachedPromptTokens\":5,\"reasoningTokens\":3" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static ResponseCreateParams.Builder ask(String model, String input) {
    return ResponseCreateParams.builder().model(model).input(input);
  }

  static String text(Response r) {
    StringBuilder out = new StringBuilder();
    for (ResponseOutputItem item : r.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
    }
    return out.toString();
  }

  static JsonNode lastRequest(TestGateway gw, String scenario) throws IOException {
    String body = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + scenario + "/last-request")).GET().build()).body();
    return JSON.readTree(body);
  }

  // ----------------------------------------------------------------- plain and streamed, every provider kind

  @Test
  void aPlainResponseFromEachKindOfProvider() throws IOException {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      Response r = clientA.responses().create(ask(model, "Say hello").instructions("Be brief").build());
      assertThat(r.id()).as(model).startsWith("resp_");
      assertThat(r.status()).as(model).hasValue(ResponseStatus.COMPLETED);
      assertThat(text(r)).as(model).isEqualTo(CONTENT);
      assertThat(r.usage().orElseThrow().inputTokens()).as(model).isEqualTo(21);
      assertThat(r.usage().orElseThrow().outputTokens()).as(model).isEqualTo(9);
      assertThat(r.usage().orElseThrow().totalTokens()).as(model).isEqualTo(30);
    }
    // OpenAI-format providers report cached and reasoning tokens; they reach the Responses client.
    Response chat = clientA.responses().create(ask(CHAT_MODEL, "Say hello").build());
    assertThat(chat.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(5);
    assertThat(chat.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(3);
    JsonNode translated = lastRequest(a, "chat");
    assertThat(translated.path("path").asText()).endsWith("/chat/completions");
    assertThat(lastRequest(a, "claude").path("path").asText()).endsWith("/messages");
    JsonNode native_ = lastRequest(a, "native");
    assertThat(native_.path("path").asText()).endsWith("/responses");
    assertThat(native_.path("body")).isEqualTo(JSON.readTree("{\"model\":\"" + NATIVE_MODEL + "\",\"input\":\"Say hello\",\"instructions\":\"Be brief\"}"));
  }

  @Test
  void aStreamedResponseFromEachKindOfProvider() {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      StringBuilder deltas = new StringBuilder();
      List<Long> sequence = new ArrayList<>();
      Response completed = null;
      try (StreamResponse<ResponseStreamEvent> stream = clientA.responses().createStreaming(ask(model, "Say hello").build())) {
        for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
          e.outputTextDelta().ifPresent(d -> {
            deltas.append(d.delta());
            sequence.add(d.sequenceNumber());
          });
          if (e.completed().isPresent()) completed = e.completed().get().response();
        }
      }
      assertThat(deltas.toString()).as(model).isEqualTo(CONTENT);
      assertThat(sequence).as(model).isSorted().doesNotHaveDuplicates();
      assertThat(completed).as(model).isNotNull();
      assertThat(text(completed)).as(model).isEqualTo(CONTENT);
      assertThat(completed.usage().orElseThrow().outputTokens()).as(model).isEqualTo(9);
    }
  }

  // ----------------------------------------------------------------- conversations across replicas

  @Test
  void aFollowUpIsAnsweredByTheOtherReplicaFromTheSharedStore() throws IOException {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      Response first = clientA.responses().create(ask(model, "My name is Ada.").build());
      Response second = clientB.responses().create(ask(model, "What is my name?").previousResponseId(first.id()).build());
      assertThat(second.previousResponseId()).as(model).hasValue(first.id());
      assertThat(text(second)).as(model).isEqualTo(CONTENT);
      String scenario = model.equals(CHAT_MODEL) ? "chat" : model.equals(CLAUDE_MODEL) ? "claude" : "native";
      String sent = lastRequest(b, scenario).path("body").toString();
      assertThat(sent).as(model + ": replica B sent the first turn and its answer").contains("My name is Ada.")
          .contains(CONTENT).contains("What is my name?");
      assertThat(sent).doesNotContain("previous_response_id");
      // Either replica reads either's responses.
      assertThat(clientA.responses().retrieve(second.id()).id()).isEqualTo(second.id());
      assertThat(text(clientB.responses().retrieve(first.id()))).isEqualTo(CONTENT);
    }
  }

  @Test
  void aStreamedTurnIsStoredBeforeItsLastEventSoTheOtherReplicaCanContinueAtOnce() {
    String id;
    try (StreamResponse<ResponseStreamEvent> stream = clientA.responses().createStreaming(ask(CLAUDE_MODEL, "Remember 42").build())) {
      id = stream.stream().filter(e -> e.completed().isPresent()).findFirst().orElseThrow().completed().get().response().id();
    }
    Response next = clientB.responses().create(ask(CLAUDE_MODEL, "What was it?").previousResponseId(id).build());
    assertThat(next.previousResponseId()).hasValue(id);
  }

  @Test
  void aFunctionCallRoundTripThroughEachKindOfProvider() throws IOException {
    FunctionTool weather = FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      Response call = clientA.responses().create(ask(model, "Weather in Paris?").addTool(weather).build());
      ResponseFunctionToolCall fc = call.output().stream().filter(ResponseOutputItem::isFunctionCall).findFirst()
          .orElseThrow().asFunctionCall();
      assertThat(fc.name()).as(model).isEqualTo("get_weather");
      assertThat(JSON.readTree(fc.arguments())).as(model).isEqualTo(JSON.readTree("{\"city\":\"sim\"}"));
      assertThat(fc.callId()).as(model).isNotBlank();
      Response answer = clientB.responses().create(ResponseCreateParams.builder().model(model).addTool(weather)
          .previousResponseId(call.id())
          .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
              .callId(fc.callId()).output("{\"temperature\":21}").build())))
          .build());
      assertThat(text(answer)).as(model).isEqualTo(CONTENT);
      String scenario = model.equals(CHAT_MODEL) ? "chat" : model.equals(CLAUDE_MODEL) ? "claude" : "native";
      JsonNode sent = lastRequest(b, scenario).path("body");
      assertThat(sent.toString()).as(model).contains(fc.callId()).contains("temperature");
      if (model.equals(CHAT_MODEL)) {
        JsonNode messages = sent.path("messages");
        assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(messages.size() - 2).path("tool_calls").path(0).path("id").asText()).isEqualTo(fc.callId());
      } else if (model.equals(CLAUDE_MODEL)) {
        JsonNode messages = sent.path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").path(0).path("type").asText()).isEqualTo("tool_result");
        assertThat(messages.get(messages.size() - 2).path("content").path(0).path("type").asText()).isEqualTo("tool_use");
      }
    }
  }

  // ----------------------------------------------------------------- store: false, tenants, deletion

  @Test
  void storeFalseIsNeverStored() {
    Response r = clientA.responses().create(ask(CHAT_MODEL, "Forget me").store(false).build());
    assertThat(r._additionalProperties().get("store")).isEqualTo(JsonValue.from(false));
    assertThat(catchThrowableOfType(NotFoundException.class, () -> clientB.responses().retrieve(r.id()))).isNotNull();
    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> clientB.responses().create(ask(CHAT_MODEL, "again").previousResponseId(r.id()).build()));
    assertThat(e.getMessage()).contains("Previous response with id '" + r.id() + "' not found");
  }

  @Test
  void aTenantNeverSeesAnotherTenantsResponses() {
    OpenAIClient acme = client(a, Map.of("x-tenant-id", "acme"));
    OpenAIClient globex = client(b, Map.of("x-tenant-id", "globex"));
    try {
      Response r = acme.responses().create(ask(CHAT_MODEL, "secret plans").build());
      assertThat(catchThrowableOfType(NotFoundException.class, () -> globex.responses().retrieve(r.id()))).isNotNull();
      assertThat(catchThrowableOfType(BadRequestException.class,
          () -> globex.responses().create(ask(CHAT_MODEL, "go on").previousResponseId(r.id()).build()))).isNotNull();
      assertThat(catchThrowableOfType(NotFoundException.class, () -> globex.responses().delete(r.id()))).isNotNull();
      assertThat(acme.responses().retrieve(r.id()).id()).isEqualTo(r.id()); // still there for its owner
    } finally {
      acme.close();
      globex.close();
    }
  }

  @Test
  void aDeletedResponseIsGoneForEveryReplica() {
    Response r = clientA.responses().create(ask(CHAT_MODEL, "short-lived").build());
    clientB.responses().delete(r.id());
    assertThat(catchThrowableOfType(NotFoundException.class, () -> clientA.responses().retrieve(r.id()))).isNotNull();
  }

  // ----------------------------------------------------------------- errors

  @Test
  void aProviderRateLimitIsTheSdksRateLimitException() {
    a.simulate("chat", profile("\"fault\":\"rate_limit\",\"faultRate\":1.0,\"retryAfterSeconds\":1"));
    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> clientA.responses().create(ask(CHAT_MODEL, "hi").build()));
    assertThat(e).isNotNull();
  }

  @Test
  void aStreamThatBreaksRaisesInTheSdk() {
    a.simulate("claude", profile("\"fault\":\"stream_error\",\"faultRate\":1.0,\"cutAfterChunks\":2"));
    List<String> types = new ArrayList<>();
    SseException e = catchThrowableOfType(SseException.class, () -> {
      try (StreamResponse<ResponseStreamEvent> stream = clientA.responses().createStreaming(ask(CLAUDE_MODEL, "hi").build())) {
        stream.stream().forEach(ev -> types.add(ev.isFailed() ? "failed" : ev.isCompleted() ? "completed" : "other"));
      }
    });
    assertThat(e).isNotNull();
    assertThat(types).contains("failed").doesNotContain("completed");
  }

  @Test
  void aBuiltInToolForATranslatingProviderIsTheClientsBadRequest() {
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> clientA.responses().create(
        ask(CLAUDE_MODEL, "search").addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()));
    assertThat(e.getMessage()).contains("web_search").contains("only function tools");
  }

  // ----------------------------------------------------------------- accounting

  @Test
  void everyTokenIsAccountedOnTheProvidersCounters() {
    var before = a.metrics();
    clientA.responses().create(ask(CHAT_MODEL, "count me").build());
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      var after = a.metrics();
      assertThat(after.sum("orchestrator_provider_tokens_total", "provider", "chat", "type", "prompt")
          - before.sum("orchestrator_provider_tokens_total", "provider", "chat", "type", "prompt")).isEqualTo(21);
      assertThat(after.sum("orchestrator_provider_tokens_total", "provider", "chat", "type", "completion")
          - before.sum("orchestrator_provider_tokens_total", "provider", "chat", "type", "completion")).isEqualTo(9);
      assertThat(after.sum("orchestrator_provider_token_details_total", "provider", "chat", "type", "cache_read")
          - before.sum("orchestrator_provider_token_details_total", "provider", "chat", "type", "cache_read")).isEqualTo(5);
      assertThat(after.sum("orchestrator_provider_token_details_total", "provider", "chat", "type", "reasoning")
          - before.sum("orchestrator_provider_token_details_total", "provider", "chat", "type", "reasoning")).isEqualTo(3);
    });
  }
}
