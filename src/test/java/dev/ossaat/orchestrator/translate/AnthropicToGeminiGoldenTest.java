package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic Messages client and a Gemini provider, through the real gateway and the simulator's
 * Gemini format. Golden files in {@code golden/anthropic-to-gemini}.
 */
class AnthropicToGeminiGoldenTest extends GoldenTestBase {
  static final String TOOLS = AnthropicClientGoldenCases.TOOLS;
  static final String SAY_HELLO = AnthropicClientGoldenCases.SAY_HELLO;

  @Override
  WireFormat client() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  WireFormat provider() {
    return WireFormat.GEMINI;
  }

  @Override
  String pair() {
    return "anthropic-to-gemini";
  }

  @Override
  String model() {
    return GeminiGoldenSupport.MODEL;
  }

  @Override
  ObjectNode providerRequestPart(ObjectNode last) {
    return GeminiGoldenSupport.withGoogleKey(super.providerRequestPart(last), last);
  }

  @Override
  void assertGolden(String name, JsonNode actual) {
    super.assertGolden(name, GeminiGoldenSupport.normalise(actual));
  }

  String messages(String fields, String messages) {
    return "{\"model\":\"" + model() + "\",\"max_tokens\":1024" + (fields.isEmpty() ? "" : "," + fields)
        + ",\"messages\":" + messages + "}";
  }

  static JsonNode body(Recorded r) {
    return r.last().path("body");
  }

  static String stopReason(Recorded r) {
    return r.answer().json().path("stop_reason").asText();
  }

  @Test
  void plainText() {
    profile();
    Recorded r = golden("plain_text", messages("\"system\":\"You are terse.\",\"temperature\":0.5,\"top_k\":40", SAY_HELLO));
    assertThat(r.last().path("path").asText()).endsWith("/models/" + model() + ":generateContent");
    assertThat(body(r).path("systemInstruction")).isEqualTo(parse("{\"parts\":[{\"text\":\"You are terse.\"}]}"));
    assertThat(body(r).path("generationConfig")).isEqualTo(parse("{\"temperature\":0.5,\"topK\":40,\"maxOutputTokens\":1024}"));
    JsonNode answer = r.answer().json();
    assertThat(answer.path("type").asText()).isEqualTo("message");
    assertThat(answer.path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
    assertThat(stopReason(r)).isEqualTo("end_turn");
  }

  @Test
  void plainTextStream() {
    profile();
    Recorded r = golden("plain_text_stream", messages("\"stream\":true", SAY_HELLO));
    ArrayNode events = r.answer().events();
    AnthropicClientGoldenCases.assertWellFormed(events, true);
    assertThat(AnthropicClientGoldenCases.streamedText(events)).isEqualTo(CONTENT);
    assertThat(AnthropicClientGoldenCases.streamedStop(events)).containsExactly("end_turn");
  }

  @Test
  void toolCall() {
    profile();
    Recorded r = golden("tool_call", messages("\"tools\":" + TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_time\"}",
        "[{\"role\":\"user\",\"content\":\"Time in Tokyo?\"}]"));
    assertThat(body(r).path("toolConfig"))
        .isEqualTo(parse("{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_time\"]}}"));
    assertThat(stopReason(r)).isEqualTo("tool_use");
    JsonNode use = r.answer().json().path("content").path(0);
    assertThat(use.path("type").asText()).isEqualTo("tool_use");
    assertThat(use.path("id").asText()).matches("[a-zA-Z0-9_-]+").isEqualTo("gcall_0_get_time");
    assertThat(use.path("input")).isEqualTo(parse("{\"tz\":\"sim\"}"));
  }

  @Test
  void toolCallStream() {
    profile();
    Recorded r = golden("tool_call_stream", messages("\"stream\":true,\"tools\":" + TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    ArrayNode events = r.answer().events();
    AnthropicClientGoldenCases.assertWellFormed(events, true);
    assertThat(AnthropicClientGoldenCases.streamedStop(events)).containsExactly("tool_use");
    StringBuilder input = new StringBuilder();
    for (JsonNode d : data(events, "content_block_delta")) input.append(d.path("delta").path("partial_json").asText(""));
    assertThat(input.toString()).isEqualTo("{\"city\":\"sim\"}");
  }

  @Test
  void toolResults() {
    profile();
    Recorded r = golden("tool_results", messages("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":[{"type":"text","text":"Let me look."},
           {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C and sunny"},
           {"type":"text","text":"And in short?"}]}]"""));
    JsonNode contents = body(r).path("contents");
    assertThat(contents.path(1)).isEqualTo(parse("""
        {"role":"model","parts":[{"text":"Let me look."},{"functionCall":{"id":"toolu_01","name":"get_weather","args":{"city":"Paris"}}}]}"""));
    assertThat(contents.path(2)).isEqualTo(parse("""
        {"role":"user","parts":[{"functionResponse":{"id":"toolu_01","name":"get_weather","response":{"result":"18C and sunny"}}},
          {"text":"And in short?"}]}"""));
    assertThat(stopReason(r)).isEqualTo("end_turn");
  }

  @Test
  void thinking() {
    profile("\"reasoningTokens\":5");
    Recorded r = golden("thinking", messages("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}", SAY_HELLO));
    assertThat(body(r).path("generationConfig").path("thinkingConfig"))
        .isEqualTo(parse("{\"thinkingBudget\":2048,\"includeThoughts\":true}"));
    JsonNode content = r.answer().json().path("content");
    assertThat(content.path(0).path("type").asText()).isEqualTo("thinking");
    assertThat(content.path(1).path("text").asText()).isEqualTo(CONTENT);
  }

  @Test
  void usage() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"completionTokens\":15,\"reasoningTokens\":5");
    Tokens before = tokens();
    Recorded r = golden("usage", messages("", SAY_HELLO));
    JsonNode usage = r.answer().json().path("usage");
    assertThat(usage.path("input_tokens").asLong()).as("Anthropic's input excludes cache reads").isEqualTo(70);
    assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(30);
    assertThat(usage.path("output_tokens").asLong()).isEqualTo(15);
    assertTokensMoved(before, new Tokens(100, 15, 30, 0, 5));
  }

  @Test
  void usageStream() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"completionTokens\":15,\"reasoningTokens\":5");
    Tokens before = tokens();
    Recorded r = golden("usage_stream", messages("\"stream\":true", SAY_HELLO));
    JsonNode delta = data(r.answer().events(), "message_delta").get(0);
    assertThat(delta.path("usage").path("output_tokens").asLong()).isEqualTo(15);
    assertThat(delta.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(30);
    assertTokensMoved(before, new Tokens(100, 15, 30, 0, 5));
  }

  @Test
  void safetyStop() {
    profile();
    Recorded r = golden("safety_stop", messages("", "[{\"role\":\"user\",\"content\":\"[sim:safety] x\"}]"));
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(stopReason(r)).isEqualTo("refusal");
  }

  @Test
  void error429() {
    profile("\"fault\":\"rate_limit\",\"retryAfterMs\":2500");
    Recorded r = exchange(messages("", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden("error_429", golden);
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().json().path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(r.answer().header("retry-after")).isEqualTo("3");
  }

  @Test
  void errorMidStream() {
    profile("\"fault\":\"stream_error\",\"cutAfterChunks\":2");
    Recorded r = exchange(messages("\"stream\":true", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden("error_mid_stream", golden);
    ArrayNode events = r.answer().events();
    AnthropicClientGoldenCases.assertWellFormed(events, false);
    assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("error");
  }
}
