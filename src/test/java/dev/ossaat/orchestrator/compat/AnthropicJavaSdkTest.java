package dev.ossaat.orchestrator.compat;

import static dev.ossaat.orchestrator.compat.AnthropicCompat.COMPLETION_TOKENS;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.CONTENT;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.PROMPT_TOKENS;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.TOOL;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * com.anthropic:anthropic-java, over real HTTP, calling the gateway's {@code POST /v1/messages} in
 * front of a simulated Anthropic provider and, translated, a simulated OpenAI-compatible one.
 */
@Tag("anthropic-compat")
class AnthropicJavaSdkTest {
  private static final AnthropicCompat.Gateways GATEWAYS = new AnthropicCompat.Gateways();

  @AfterAll
  static void stop() {
    GATEWAYS.close();
  }

  /** A client of the gateway's root (the SDK appends /v1/messages), closed after use. */
  private static void withClient(TestGateway gw, java.util.function.Consumer<AnthropicClient> use) {
    AnthropicClient client = AnthropicOkHttpClient.builder()
        .baseUrl(gw.uri("").toString())
        .apiKey("test-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
    try {
      use.accept(client);
    } finally {
      client.close();
    }
  }

  private static MessageCreateParams.Builder hello(AnthropicCompat backend) {
    return MessageCreateParams.builder().model(backend.model).maxTokens(256).addUserMessage("Say hello");
  }

  /** get_weather(location), and a tool_choice that forces it, so any provider must answer with a tool_use. */
  private static MessageCreateParams weather(AnthropicCompat backend) {
    Tool tool = Tool.builder()
        .name(TOOL)
        .description("The current weather at a location")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("location", JsonValue.from(Map.of(
                    "type", "string", "description", "City and country, e.g. Paris, France")))
                .build())
            .required(List.of("location"))
            .build())
        .build();
    return MessageCreateParams.builder().model(backend.model).maxTokens(256)
        .addUserMessage("What is the weather in Paris?")
        .addTool(tool)
        .toolChoice(ToolChoiceTool.builder().name(TOOL).build())
        .build();
  }

  private static String text(Message m) {
    StringBuilder out = new StringBuilder();
    m.content().forEach(b -> b.text().map(TextBlock::text).ifPresent(out::append));
    return out.toString();
  }

  private static void assertUsage(Message m) {
    assertThat(m.usage().inputTokens()).isEqualTo(PROMPT_TOKENS);
    assertThat(m.usage().outputTokens()).isEqualTo(COMPLETION_TOKENS);
  }

  private static void assertWeatherToolUse(Message m) {
    assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
    List<ToolUseBlock> uses = m.content().stream().flatMap(b -> b.toolUse().stream()).toList();
    assertThat(uses).as("tool_use blocks in %s", m.content()).hasSize(1);
    ToolUseBlock use = uses.get(0);
    assertThat(use.name()).isEqualTo(TOOL);
    assertThat(use.id()).isNotBlank();
    Map<String, Object> input = use._input().convert(new TypeReference<Map<String, Object>>() {});
    assertThat(input).containsKey("location");
    assertThat(input.get("location")).isInstanceOf(String.class);
    assertThat((String) input.get("location")).isNotBlank();
  }

  /** Sends the stream through the SDK's own accumulator, and keeps the events' types and text deltas. */
  private record Streamed(Message message, List<String> eventTypes, String deltaText) {}

  private static Streamed stream(AnthropicClient client, MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> types = new ArrayList<>();
    StringBuilder deltas = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params)) {
      events.stream().forEach(event -> {
        accumulator.accumulate(event);
        types.add(event.type().asString());
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> deltas.append(t.text()));
      });
    }
    return new Streamed(accumulator.message(), types, deltas.toString());
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aPlainMessageHasTheProvidersTextAndUsage(AnthropicCompat backend) {
    TestGateway gw = GATEWAYS.get(backend);
    long before = backend.providerRequests(gw);
    withClient(gw, client -> {
      Message m = client.messages().create(hello(backend).build());
      assertThat(m.content()).isNotEmpty().allMatch(ContentBlock::isText);
      assertThat(text(m)).isEqualTo(CONTENT);
      assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
      assertUsage(m);
    });
    assertThat(backend.providerRequests(gw) - before).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aStreamedMessageAccumulatesToTheProvidersTextAndUsage(AnthropicCompat backend) {
    TestGateway gw = GATEWAYS.get(backend);
    withClient(gw, client -> {
      Streamed s = stream(client, hello(backend).build());
      assertThat(s.eventTypes()).first().isEqualTo("message_start");
      assertThat(s.eventTypes()).last().isEqualTo("message_stop");
      assertThat(s.eventTypes()).contains("content_block_start", "content_block_delta", "content_block_stop", "message_delta");
      assertThat(s.deltaText()).isEqualTo(CONTENT);
      assertThat(text(s.message())).isEqualTo(CONTENT);
      assertThat(s.message().stopReason()).hasValue(StopReason.END_TURN);
      // Anthropic splits usage: input tokens in message_start, output tokens in message_delta.
      assertUsage(s.message());
    });
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aToolCallComesBackAsAToolUseBlock(AnthropicCompat backend) {
    TestGateway gw = GATEWAYS.get(backend);
    withClient(gw, client -> {
      assertWeatherToolUse(client.messages().create(weather(backend)));
    });
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aStreamedToolCallAccumulatesToAToolUseBlock(AnthropicCompat backend) {
    TestGateway gw = GATEWAYS.get(backend);
    withClient(gw, client -> {
      Streamed s = stream(client, weather(backend));
      assertThat(s.eventTypes()).first().isEqualTo("message_start");
      assertThat(s.eventTypes()).last().isEqualTo("message_stop");
      assertWeatherToolUse(s.message());
    });
  }
}
