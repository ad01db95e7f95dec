package dev.ossaat.orchestrator.cache;

import static dev.ossaat.orchestrator.cache.RedisCacheTest.awaitStores;
import static dev.ossaat.orchestrator.cache.RedisCacheTest.cache;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streams are cached too: a streamed answer is stored whole once it has ended, and a later client gets
 * it as a stream in its own format (OpenAI chunks with the usage chunk when asked, Anthropic's
 * message_start..message_stop), never as a JSON body; a non-streaming client gets the body. Both
 * backends, the same behaviour.
 */
class StreamCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT = "Hello from a cached stream";
  private static final String OPENAI_STREAM = "{\"model\":\"sim-small\",\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";
  private static final String OPENAI_BODY = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";
  private static final String ANTHROPIC_STREAM = "{\"model\":\"sim-small\",\"max_tokens\":100,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";
  private static final String ANTHROPIC_BODY = "{\"model\":\"sim-small\",\"max_tokens\":100,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";

  private RedisFixture redis;

  @BeforeEach
  void redis() {
    redis = new RedisFixture();
  }

  @AfterEach
  void clean() {
    redis.close();
  }

  private TestGateway start(String backend) {
    TestGateway gw = TestGateway.start("cache: {enabled: true, type: " + backend + ", ttl: 60}\n" + redis.redisYaml() + """
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("s", "{\"content\":\"" + CONTENT + "\",\"chunks\":4,\"promptTokens\":12,\"completionTokens\":7}");
    return gw;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void openAiStreamIsReplayedAsAStreamWithUsage(String backend) throws Exception {
    try (TestGateway gw = start(backend)) {
      HttpResponse<String> first = gw.post("/v1/chat/completions", OPENAI_STREAM);
      assertThat(cache(first)).isEqualTo("miss");
      assertThat(openAiText(first.body())).isEqualTo(CONTENT);
      awaitStores(gw, 1);

      HttpResponse<String> replay = gw.post("/v1/chat/completions", OPENAI_STREAM);
      assertThat(cache(replay)).isEqualTo("hit");
      assertThat(replay.headers().firstValue("content-type")).hasValue("text/event-stream");
      assertThat(replay.body()).contains("\"object\":\"chat.completion.chunk\"").endsWith("data: [DONE]\n\n");
      assertThat(openAiText(replay.body())).isEqualTo(CONTENT);
      JsonNode usage = openAiUsage(replay.body());
      assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12);
      assertThat(usage.path("completion_tokens").asInt()).isEqualTo(7);
      assertThat(finishReason(replay.body())).isEqualTo("stop");

      // The same question without streaming: the whole answer as a body.
      HttpResponse<String> body = gw.post("/v1/chat/completions", OPENAI_BODY);
      assertThat(cache(body)).isEqualTo("hit");
      JsonNode answer = JSON.readTree(body.body());
      assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
      assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo(CONTENT);
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aBodyAnswerIsReplayedAsAStreamToAStreamingClient(String backend) {
    try (TestGateway gw = start(backend)) {
      assertThat(cache(gw.post("/v1/chat/completions", OPENAI_BODY))).isEqualTo("miss");
      awaitStores(gw, 1);
      HttpResponse<String> replay = gw.post("/v1/chat/completions", OPENAI_STREAM);
      assertThat(cache(replay)).isEqualTo("hit");
      assertThat(openAiText(replay.body())).isEqualTo(CONTENT);
      assertThat(openAiUsage(replay.body()).path("total_tokens").asInt()).isEqualTo(19);
      // Without include_usage no usage chunk is sent, as OpenAI does.
      HttpResponse<String> noUsage = gw.post("/v1/chat/completions", OPENAI_STREAM.replace(
          ",\"stream_options\":{\"include_usage\":true}", ""));
      assertThat(cache(noUsage)).isEqualTo("hit");
      assertThat(noUsage.body()).doesNotContain("\"usage\":{");
      assertThat(openAiText(noUsage.body())).isEqualTo(CONTENT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void anthropicStreamIsReplayedAsAnthropicEvents(String backend) throws Exception {
    try (TestGateway gw = start(backend)) {
      HttpResponse<String> first = gw.post("/v1/messages", ANTHROPIC_STREAM);
      assertThat(cache(first)).isEqualTo("miss");
      assertThat(anthropicText(first.body())).isEqualTo(CONTENT);
      awaitStores(gw, 1);

      HttpResponse<String> replay = gw.post("/v1/messages", ANTHROPIC_STREAM);
      assertThat(cache(replay)).isEqualTo("hit");
      assertThat(replay.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<String> types = eventTypes(replay.body());
      assertThat(types.get(0)).isEqualTo("message_start");
      assertThat(types).contains("content_block_start", "content_block_delta", "content_block_stop", "message_delta");
      assertThat(types.get(types.size() - 1)).isEqualTo("message_stop");
      assertThat(anthropicText(replay.body())).isEqualTo(CONTENT);
      JsonNode delta = data(replay.body()).stream().filter(d -> d.path("type").asText().equals("message_delta")).findFirst().orElseThrow();
      assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(7);
      assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");

      HttpResponse<String> body = gw.post("/v1/messages", ANTHROPIC_BODY);
      assertThat(cache(body)).isEqualTo("hit");
      JsonNode message = JSON.readTree(body.body());
      assertThat(message.path("type").asText()).isEqualTo("message");
      assertThat(message.path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
      // An OpenAI client asking the same question has an entry of its own (the key is per wire format).
      assertThat(cache(gw.post("/v1/chat/completions", OPENAI_BODY))).isEqualTo("miss");
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(2);
    }
  }

  static List<JsonNode> data(String sse) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
      try {
        out.add(JSON.readTree(line.substring(6)));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(line, e);
      }
    }
    return out;
  }

  static String openAiText(String sse) {
    StringBuilder text = new StringBuilder();
    for (JsonNode d : data(sse)) {
      JsonNode c = d.path("choices").path(0).path("delta").path("content");
      if (c.isTextual()) text.append(c.asText());
    }
    return text.toString();
  }

  static JsonNode openAiUsage(String sse) {
    return data(sse).stream().filter(d -> d.path("usage").isObject()).reduce((a, b) -> b).orElseThrow().path("usage");
  }

  static String finishReason(String sse) {
    return data(sse).stream().map(d -> d.path("choices").path(0).path("finish_reason"))
        .filter(JsonNode::isTextual).map(JsonNode::asText).findFirst().orElse(null);
  }

  static String anthropicText(String sse) {
    StringBuilder text = new StringBuilder();
    for (JsonNode d : data(sse)) {
      if (d.path("type").asText().equals("content_block_delta")) text.append(d.path("delta").path("text").asText(""));
    }
    return text.toString();
  }

  static List<String> eventTypes(String sse) {
    return data(sse).stream().map(d -> d.path("type").asText()).filter(t -> !t.equals("ping")).toList();
  }
}
