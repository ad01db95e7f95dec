package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An Anthropic client and a Bedrock provider: Messages to Converse (cache marks as cache points) and back, streams included. */
class AnthropicToBedrockGoldenTest extends GoldenTestBase {
  static final String MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";

  @Override
  WireFormat client() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  WireFormat provider() {
    return WireFormat.BEDROCK;
  }

  @Override
  String pair() {
    return "anthropic-to-bedrock";
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
          %s:
            type: bedrock
            region: eu-west-1
            baseUrl: ${SIM:%s}
            aws: {accessKeyId: %s, secretAccessKey: "%s"}
            model: "%s"
        """.formatted(SCENARIO, SCENARIO, BedrockKeys.ACCESS_KEY_ID, BedrockKeys.SECRET_ACCESS_KEY, MODEL));
  }

  static final String REQUEST = """
      {"model":"%s","max_tokens":256,%s
       "system":[{"type":"text","text":"You are a careful assistant.","cache_control":{"type":"ephemeral"}}],
       "messages":[{"role":"user","content":"Say hello"}]}""".formatted(MODEL, "%s");

  @Test
  void messagesAndCachePoints() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"cacheCreationTokens\":20,\"completionTokens\":15");
    Recorded r = golden("plain_text", REQUEST.formatted(""));
    assertThat(r.last().path("apiKeyMatched").asBoolean()).isTrue();
    assertThat(r.last().path("body").path("system")).isEqualTo(parse(
        "[{\"text\":\"You are a careful assistant.\"},{\"cachePoint\":{\"type\":\"default\"}}]"));
    JsonNode answer = r.answer().json();
    assertThat(answer.path("type").asText()).isEqualTo("message");
    assertThat(answer.path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
    assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answer.path("usage")).isEqualTo(parse(
        "{\"input_tokens\":50,\"cache_creation_input_tokens\":20,\"cache_read_input_tokens\":30,\"output_tokens\":15}"));
  }

  @Test
  void stream() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"cacheCreationTokens\":20,\"completionTokens\":15");
    Recorded r = golden("plain_text_stream", REQUEST.formatted("\"stream\":true,"));
    var events = r.answer().events();
    assertThat(events.get(0).path("event").asText()).isEqualTo("message_start");
    assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("message_stop");
    StringBuilder text = new StringBuilder();
    for (JsonNode d : data(events, "content_block_delta")) text.append(d.path("delta").path("text").asText(""));
    assertThat(text.toString()).isEqualTo(CONTENT);
    JsonNode delta = data(events, "message_delta").get(0);
    assertThat(delta.path("usage").path("output_tokens").asLong()).isEqualTo(15);
  }

  /** Claude on Bedrock is asked which stop sequence ended the answer; an Anthropic client gets it back. */
  @Test
  void stopSequenceIsReported() {
    profile();
    Recorded r = golden("stop_sequence", REQUEST.formatted("\"stop_sequences\":[\"simulator\"],"));
    assertThat(r.last().path("body").path("additionalModelResponseFieldPaths")).isEqualTo(parse("[\"/stop_sequence\"]"));
    assertThat(r.answer().json().path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(r.answer().json().path("stop_sequence").asText()).isEqualTo("simulator");
    assertThat(r.answer().json().path("content").path(0).path("text").asText()).isEqualTo("Hello from the ");
    Recorded s = golden("stop_sequence_stream", REQUEST.formatted("\"stream\":true,\"stop_sequences\":[\"simulator\"],"));
    JsonNode delta = data(s.answer().events(), "message_delta").get(0).path("delta");
    assertThat(delta.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(delta.path("stop_sequence").asText()).isEqualTo("simulator");
  }
}
