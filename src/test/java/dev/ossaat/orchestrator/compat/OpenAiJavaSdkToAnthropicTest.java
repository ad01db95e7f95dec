package dev.ossaat.orchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real OpenAI Java SDK through orchestrator to a simulated Anthropic provider (Messages API):
 * a tool-call round trip (the model calls get_weather, the client answers with the tool's result, the
 * model answers in text), plain and streamed.
 */
class OpenAiJavaSdkToAnthropicTest {
  static final String SCENARIO = "sdk-anthropic";
  static final String MODEL = "claude-sonnet-4-5";
  static final String CONTENT = "It is sunny in Paris.";
  static final ObjectMapper JSON = new ObjectMapper();
  static TestGateway gw;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          anthro:
            type: anthropic
            baseUrl: ${SIM:%s}
            apiKey: sk-ant-sdk-test
            model: "%s"
        """.formatted(SCENARIO, MODEL));
    gw.simulate(SCENARIO, "{\"content\":\"" + CONTENT + "\",\"chunks\":3,\"promptTokens\":40,\"completionTokens\":9}");
    client = OpenAIOkHttpClient.builder().baseUrl(gw.uri("/v1").toString()).apiKey("client-key").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
  }

  static ChatCompletionCreateParams.Builder weather() {
    return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("What is the weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Current weather for a city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
            .build());
  }

  JsonNode lastMessages() throws Exception {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + SCENARIO + "/last-request")).GET().build());
    return JSON.readTree(r.body());
  }

  @Test
  void toolCallRoundTrip() throws Exception {
    ChatCompletion first = client.chat().completions().create(weather().build());
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage asked = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = asked.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.function().arguments()).path("city").asText()).isEqualTo("sim");

    ChatCompletion second = client.chat().completions().create(weather()
        .addMessage(asked)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C and sunny").build())
        .build());
    assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(second.choices().get(0).message().content()).hasValue(CONTENT);
    assertThat(second.usage().orElseThrow().promptTokens()).isEqualTo(40);

    // What Anthropic received: the call as a tool_use block and its result as a tool_result under the same id.
    JsonNode messages = lastMessages().path("body").path("messages");
    JsonNode toolUse = messages.path(1).path("content").path(0);
    assertThat(toolUse.path("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.path("id").asText()).isEqualTo(call.id());
    assertThat(toolUse.path("name").asText()).isEqualTo("get_weather");
    JsonNode result = messages.path(2).path("content").path(0);
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    assertThat(result.path("tool_use_id").asText()).isEqualTo(call.id());
    assertThat(result.toString()).contains("18C and sunny");
  }

  @Test
  void streamedToolCallRoundTrip() throws Exception {
    StringBuilder arguments = new StringBuilder();
    String id = null;
    String name = null;
    ChatCompletionChunk.Choice.FinishReason finish = null;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(weather().build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          if (choice.finishReason().isPresent()) finish = choice.finishReason().get();
          for (ChatCompletionChunk.Choice.Delta.ToolCall t : choice.delta().toolCalls().orElse(List.of())) {
            if (t.id().isPresent()) id = t.id().get();
            if (t.function().flatMap(f -> f.name()).isPresent()) name = t.function().get().name().get();
            arguments.append(t.function().flatMap(f -> f.arguments()).orElse(""));
          }
        }
      }
    }
    assertThat(finish).isEqualTo(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    assertThat(name).isEqualTo("get_weather");
    assertThat(JSON.readTree(arguments.toString()).path("city").asText()).isEqualTo("sim");

    StringBuilder text = new StringBuilder();
    ChatCompletionCreateParams followUp = weather()
        .addMessage(com.openai.models.chat.completions.ChatCompletionAssistantMessageParam.builder()
            .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(id)
                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(name).arguments(arguments.toString()).build())
                .build())
            .build())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(id).content("18C and sunny").build())
        .build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(followUp)) {
      stream.stream().forEach(c -> c.choices().forEach(ch -> text.append(ch.delta().content().orElse(""))));
    }
    assertThat(text.toString()).isEqualTo(CONTENT);
    assertThat(lastMessages().path("body").path("stream").asBoolean()).isTrue();
  }
}
