package dev.ossaat.orchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real clients, a tool-call round trip each, through orchestrator to a simulated Gemini provider: the
 * model calls get_weather, the client runs it and sends the result back, the model answers. What the
 * simulator received shows the result went back as a functionResponse named after the function,
 * though Gemini gave the call no id.
 */
class GeminiSdkRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "AIza-sdk-round-trip";
  private static final String MODEL = "gemini-2.5-flash";
  private static final String CONTENT = "Hello from the simulator.";
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          gemini: {baseUrl: "${SIM:gemini}", apiKey: %s, model: %s, models: [%s]}
        """.formatted(KEY, MODEL, MODEL));
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  @BeforeEach
  void healthy() {
    gw.simulate("gemini", "{\"requireApiKey\":\"" + KEY + "\",\"content\":\"" + CONTENT + "\",\"chunks\":3}");
  }

  private static JsonNode lastGeminiBody() throws Exception {
    String text = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/gemini/last-request")).GET().build()).body();
    JsonNode last = JSON.readTree(text);
    assertThat(last.path("apiKeyMatched").asBoolean()).isTrue();
    return last.path("body");
  }

  /** The contents Gemini got on the follow-up: the call from the model, the result from the user. */
  private static void assertResultWentBack(JsonNode body) {
    JsonNode contents = body.path("contents");
    JsonNode call = contents.path(1).path("parts").path(0).path("functionCall");
    assertThat(contents.path(1).path("role").asText()).isEqualTo("model");
    assertThat(call.path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("args").path("city").asText()).isEqualTo("sim");
    JsonNode response = contents.path(2).path("parts").path(0).path("functionResponse");
    assertThat(contents.path(2).path("role").asText()).isEqualTo("user");
    assertThat(response.path("name").asText()).as("mapped back by the call's id").isEqualTo("get_weather");
    assertThat(response.path("response")).isEqualTo(JSON.createObjectNode().put("temp", 18));
  }

  // ----------------------------------------------------------------- OpenAI Java SDK

  private static OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder().baseUrl(gw.uri("/v1").toString()).apiKey("test-key").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  private static FunctionDefinition weatherFunction() {
    return FunctionDefinition.builder().name("get_weather").description("Current weather for a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
            .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
            .putAdditionalProperty("additionalProperties", com.openai.core.JsonValue.from(false))
            .build())
        .build();
  }

  private static ChatCompletionCreateParams.Builder openAiRequest() {
    return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Weather in Paris?").addFunctionTool(weatherFunction());
  }

  private static ChatCompletion followUp(OpenAIClient client, ChatCompletionMessage assistant) {
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(call.id()).isNotEmpty();
    return client.chat().completions().create(openAiRequest()
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"temp\":18}").build())
        .build());
  }

  @Test
  void openAiJavaSdkToolRoundTrip() throws Exception {
    OpenAIClient client = openAi();
    try {
      ChatCompletion first = client.chat().completions().create(openAiRequest().build());
      assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
      ChatCompletion second = followUp(client, first.choices().get(0).message());
      assertResultWentBack(lastGeminiBody());
      assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
      assertThat(second.choices().get(0).message().content()).contains(CONTENT);
      assertThat(second.usage().orElseThrow().totalTokens()).isPositive();
    } finally {
      client.close();
    }
  }

  @Test
  void openAiJavaSdkStreamedToolRoundTrip() throws Exception {
    OpenAIClient client = openAi();
    try {
      ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(openAiRequest().build())) {
        s.stream().forEach(acc::accumulate);
      }
      ChatCompletion first = acc.chatCompletion();
      assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
      ChatCompletion second = followUp(client, first.choices().get(0).message());
      assertResultWentBack(lastGeminiBody());
      assertThat(second.choices().get(0).message().content()).contains(CONTENT);
    } finally {
      client.close();
    }
  }

  /** OpenAI's embeddings call, answered by Gemini's batchEmbedContents in OpenAI's shape. */
  @Test
  void openAiJavaSdkEmbeddings() {
    OpenAIClient client = openAi();
    try {
      com.openai.models.embeddings.CreateEmbeddingResponse r = client.embeddings().create(
          com.openai.models.embeddings.EmbeddingCreateParams.builder().model(MODEL)
              .inputOfArrayOfStrings(List.of("a", "b")).build());
      assertThat(r.data()).hasSize(2);
      assertThat(r.data().get(1).index()).isEqualTo(1);
      assertThat(r.data().get(0).embedding()).hasSize(8);
      assertThat(r.usage().promptTokens()).as("Gemini reports none: the gateway's estimate").isPositive();
    } finally {
      client.close();
    }
  }

  // ----------------------------------------------------------------- Anthropic Java SDK

  @Test
  void anthropicJavaSdkToolRoundTrip() throws Exception {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gw.uri("").toString()).apiKey("test-key").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
    try {
      Tool tool = Tool.builder().name("get_weather").description("Current weather for a city")
          .inputSchema(Tool.InputSchema.builder()
              .properties(Tool.InputSchema.Properties.builder().putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
              .required(List.of("city")).build())
          .build();
      com.anthropic.models.messages.Message first = client.messages().create(MessageCreateParams.builder()
          .model(MODEL).maxTokens(1024).addUserMessage("Weather in Paris?").addTool(tool).build());
      assertThat(first.stopReason().orElseThrow()).isEqualTo(com.anthropic.models.messages.StopReason.TOOL_USE);
      ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
      assertThat(use.name()).isEqualTo("get_weather");
      com.anthropic.models.messages.Message second = client.messages().create(MessageCreateParams.builder()
          .model(MODEL).maxTokens(1024).addTool(tool)
          .addUserMessage("Weather in Paris?")
          .addMessage(first.toParam())
          .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
              ToolResultBlockParam.builder().toolUseId(use.id()).content("{\"temp\":18}").build())))
          .build());
      assertResultWentBack(lastGeminiBody());
      assertThat(second.stopReason().orElseThrow()).isEqualTo(com.anthropic.models.messages.StopReason.END_TURN);
      assertThat(second.content().get(0).text().orElseThrow().text()).isEqualTo(CONTENT);
    } finally {
      client.close();
    }
  }
}
