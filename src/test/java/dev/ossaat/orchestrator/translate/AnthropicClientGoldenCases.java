package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cases of an Anthropic Messages client ({@code POST /v1/messages}), whatever the provider speaks;
 * each subclass names the provider format and the golden folder.
 */
abstract class AnthropicClientGoldenCases extends GoldenTestBase {
  static final String TOOLS = """
      [{"name":"get_weather","description":"Current weather for a city",
        "input_schema":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city"]}},
       {"name":"get_time","description":"Local time in a timezone",
        "input_schema":{"type":"object","properties":{"tz":{"type":"string"}},"required":["tz"]}}]""";
  static final String SAY_HELLO = "[{\"role\":\"user\",\"content\":\"Say hello\"}]";

  @Override
  WireFormat client() {
    return WireFormat.ANTHROPIC;
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

  /** The stop reasons of a streamed answer's message_delta events. */
  static List<String> streamedStop(ArrayNode events) {
    return data(events, "message_delta").stream().map(d -> d.path("delta").path("stop_reason").asText()).toList();
  }

  static String streamedText(ArrayNode events) {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : data(events, "content_block_delta")) {
      if (d.path("delta").path("type").asText().equals("text_delta")) out.append(d.path("delta").path("text").asText());
    }
    return out.toString();
  }

  /** Every event is named, its name is its data's type, and a clean stream ends with message_stop. */
  static void assertWellFormed(ArrayNode events, boolean clean) {
    for (JsonNode e : events) {
      assertThat(e.path("event").asText()).as("event name").isNotEmpty();
      assertThat(e.path("data").path("type").asText()).as("data.type").isEqualTo(e.path("event").asText());
    }
    assertThat(events.get(0).path("event").asText()).isEqualTo("message_start");
    long stops = data(events, "message_stop").size();
    if (clean) {
      assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("message_stop");
      assertThat(stops).isEqualTo(1);
    } else {
      assertThat(stops).as("never a clean end").isZero();
    }
    // Blocks: each started once, its deltas between its start and stop.
    java.util.Set<Integer> open = new java.util.HashSet<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (JsonNode e : events) {
      int index = e.path("data").path("index").asInt(-1);
      switch (e.path("event").asText()) {
        case "content_block_start" -> {
          assertThat(seen.add(index)).as("block %d started once", index).isTrue();
          open.add(index);
        }
        case "content_block_delta" -> assertThat(open).as("delta of an open block").contains(index);
        case "content_block_stop" -> assertThat(open.remove(index)).as("stop of an open block").isTrue();
        default -> { }
      }
    }
    if (clean) assertThat(open).as("every block stopped").isEmpty();
  }

  void assertProviderGot(Recorded r, String clientBody) {
    assertThat(r.last().path("apiKeyMatched").asBoolean()).as("the gateway's credential, not the client's").isTrue();
    if (passThrough()) {
      assertThat(r.last().path("path").asText()).endsWith("/messages");
      assertThat(body(r)).as("passed through as sent").isEqualTo(parse(clientBody));
      assertThat(r.last().path("headers").path("anthropic-version").asText()).isNotEmpty();
    } else {
      assertThat(r.last().path("path").asText()).endsWith("/chat/completions");
    }
  }

  // ----------------------------------------------------------------- 1. plain text

  @Test
  void plainText() {
    profile();
    String request = messages("", SAY_HELLO);
    Recorded r = golden("plain_text", request);
    assertProviderGot(r, request);
    JsonNode answer = r.answer().json();
    assertThat(answer.path("type").asText()).isEqualTo("message");
    assertThat(answer.path("id").asText()).startsWith("msg_");
    assertThat(answer.path("role").asText()).isEqualTo("assistant");
    assertThat(answer.path("content")).hasSize(1);
    assertThat(answer.path("content").path(0).path("text").asText()).isEqualTo(CONTENT);
    assertThat(stopReason(r)).isEqualTo("end_turn");
    assertThat(answer.path("stop_sequence").isNull()).isTrue();
  }

  @Test
  void plainTextStream() {
    profile();
    String request = messages("\"stream\":true", SAY_HELLO);
    Recorded r = golden("plain_text_stream", request);
    assertProviderGot(r, request);
    ArrayNode events = r.answer().events();
    assertWellFormed(events, true);
    assertThat(streamedText(events)).isEqualTo(CONTENT);
    assertThat(streamedStop(events)).containsExactly("end_turn");
  }

  // ----------------------------------------------------------------- 2. images

  @Test
  void images() {
    profile();
    String request = messages("", """
        [{"role":"user","content":[
          {"type":"text","text":"Compare these two pictures"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}},
          {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]""");
    Recorded r = golden("images", request);
    assertProviderGot(r, request);
    if (!passThrough()) {
      JsonNode parts = body(r).path("messages").path(0).path("content");
      assertThat(parts.path(1).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
      assertThat(parts.path(2).path("image_url").path("url").asText()).isEqualTo("https://example.com/cat.jpg");
    }
  }

  // ----------------------------------------------------------------- 3. system prompts

  @Test
  void systemString() {
    profile();
    String request = messages("\"system\":\"You are terse.\"", SAY_HELLO);
    Recorded r = golden("system_string", request);
    assertProviderGot(r, request);
    if (!passThrough()) {
      assertThat(body(r).path("messages").path(0)).isEqualTo(parse("{\"role\":\"system\",\"content\":\"You are terse.\"}"));
    }
  }

  @Test
  void systemBlocksWithCacheControl() {
    profile();
    String request = messages("""
        "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}},
                  {"type":"text","text":"Answer in English."}]""", SAY_HELLO);
    Recorded r = golden("system_blocks", request);
    assertProviderGot(r, request);
    if (!passThrough()) {
      assertThat(body(r).path("messages").path(0).path("content").asText()).isEqualTo("You are terse.\n\nAnswer in English.");
    }
  }

  // ----------------------------------------------------------------- 4. tools

  @Test
  void toolCall() {
    profile();
    String request = messages("\"tools\":" + TOOLS + ",\"tool_choice\":{\"type\":\"auto\"}",
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]");
    Recorded r = golden("tool_call", request);
    assertProviderGot(r, request);
    assertThat(stopReason(r)).isEqualTo("tool_use");
    JsonNode content = r.answer().json().path("content");
    JsonNode call = content.path(content.size() - 1);
    assertThat(call.path("type").asText()).isEqualTo("tool_use");
    assertThat(call.path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("input")).isEqualTo(parse("{\"city\":\"sim\"}"));
    assertThat(call.path("id").asText()).isNotEmpty();
  }

  @Test
  void toolCallStream() {
    profile();
    String request = messages("\"stream\":true,\"tools\":" + TOOLS, "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]");
    Recorded r = golden("tool_call_stream", request);
    ArrayNode events = r.answer().events();
    assertWellFormed(events, true);
    JsonNode start = data(events, "content_block_start").stream()
        .filter(d -> d.path("content_block").path("type").asText().equals("tool_use")).findFirst().orElseThrow();
    assertThat(start.path("content_block").path("name").asText()).isEqualTo("get_weather");
    assertThat(start.path("content_block").path("input")).isEqualTo(parse("{}"));
    int index = start.path("index").asInt();
    StringBuilder json = new StringBuilder();
    for (JsonNode d : data(events, "content_block_delta")) {
      if (d.path("index").asInt() == index) {
        assertThat(d.path("delta").path("type").asText()).isEqualTo("input_json_delta");
        json.append(d.path("delta").path("partial_json").asText());
      }
    }
    assertThat(parse(json.toString())).as("the input_json_delta fragments concatenate to the input").isEqualTo(parse("{\"city\":\"sim\"}"));
    assertThat(streamedStop(events)).containsExactly("tool_use");
  }

  @Test
  void toolChoices() {
    ObjectNode golden = JSON.createObjectNode();
    String[][] variants = {
        {"auto", "{\"type\":\"auto\"}"},
        {"none", "{\"type\":\"none\"}"},
        {"any", "{\"type\":\"any\",\"disable_parallel_tool_use\":true}"},
        {"tool", "{\"type\":\"tool\",\"name\":\"get_time\"}"}};
    for (String[] v : variants) {
      profile();
      String request = messages("\"tools\":" + TOOLS + ",\"tool_choice\":" + v[1], "[{\"role\":\"user\",\"content\":\"Time in Tokyo?\"}]");
      Recorded r = exchange(request);
      assertProviderGot(r, request);
      ObjectNode part = golden.putObject(v[0]);
      part.set("clientToolChoice", parse(v[1]));
      part.set("providerToolChoice", body(r).path("tool_choice"));
      part.set("providerParallelToolCalls", body(r).path("parallel_tool_calls"));
      part.put("stopReason", stopReason(r));
      part.set("content", r.answer().json().path("content"));
    }
    assertGolden("tool_choice", golden);
    assertThat(golden.path("none").path("stopReason").asText()).isEqualTo("end_turn");
    assertThat(golden.path("tool").path("content").path(0).path("name").asText()).isEqualTo("get_time");
    if (!passThrough()) {
      assertThat(golden.path("auto").path("providerToolChoice").asText()).isEqualTo("auto");
      assertThat(golden.path("none").path("providerToolChoice").asText()).isEqualTo("none");
      assertThat(golden.path("any").path("providerToolChoice").asText()).isEqualTo("required");
      assertThat(golden.path("any").path("providerParallelToolCalls").asBoolean(true)).isFalse();
      assertThat(golden.path("tool").path("providerToolChoice"))
          .isEqualTo(parse("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));
    }
  }

  @Test
  void toolResults() {
    profile();
    String request = messages("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris and time in Tokyo?"},
         {"role":"assistant","content":[
           {"type":"text","text":"Let me check both."},
           {"type":"tool_use","id":"toolu_a1","name":"get_weather","input":{"city":"Paris"}},
           {"type":"tool_use","id":"toolu_b2","name":"get_time","input":{"tz":"Asia/Tokyo"}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"toolu_a1","content":"18C and sunny"},
           {"type":"tool_result","tool_use_id":"toolu_b2","content":[{"type":"text","text":"unknown timezone"}],"is_error":true}]}]""");
    Recorded r = golden("tool_results", request);
    assertProviderGot(r, request);
    assertThat(stopReason(r)).isEqualTo("end_turn");
    if (!passThrough()) {
      JsonNode messages = body(r).path("messages");
      assertThat(messages).hasSize(4);
      JsonNode assistant = messages.path(1);
      assertThat(assistant.path("content").asText()).isEqualTo("Let me check both.");
      assertThat(assistant.path("tool_calls")).hasSize(2);
      assertThat(parse(assistant.path("tool_calls").path(0).path("function").path("arguments").asText()))
          .isEqualTo(parse("{\"city\":\"Paris\"}"));
      assertThat(messages.path(2)).isEqualTo(parse("{\"role\":\"tool\",\"tool_call_id\":\"toolu_a1\",\"content\":\"18C and sunny\"}"));
      assertThat(messages.path(3).path("tool_call_id").asText()).isEqualTo("toolu_b2");
    }
  }

  // ----------------------------------------------------------------- 6. stop reasons

  @Test
  void stopMaxTokens() {
    profile();
    Recorded r = golden("stop_max_tokens", messages("", SAY_HELLO).replace("\"max_tokens\":1024", "\"max_tokens\":5"));
    assertThat(stopReason(r)).isEqualTo("max_tokens");
  }

  @Test
  void stopMaxTokensStream() {
    profile();
    Recorded r = golden("stop_max_tokens_stream",
        messages("\"stream\":true", SAY_HELLO).replace("\"max_tokens\":1024", "\"max_tokens\":5"));
    assertWellFormed(r.answer().events(), true);
    assertThat(streamedStop(r.answer().events())).containsExactly("max_tokens");
  }

  /** OpenAI reports a stop sequence as "stop" without naming it: end_turn is all a translation can say. */
  String expectedStopSequenceReason() {
    return provider() == WireFormat.ANTHROPIC ? "stop_sequence" : "end_turn";
  }

  @Test
  void stopSequence() {
    profile();
    Recorded r = golden("stop_sequence", messages("\"stop_sequences\":[\"simulator\"]", SAY_HELLO));
    assertThat(stopReason(r)).isEqualTo(expectedStopSequenceReason());
    assertThat(r.answer().json().path("content").path(0).path("text").asText()).isEqualTo("Hello from the ");
    if (provider() == WireFormat.ANTHROPIC) assertThat(r.answer().json().path("stop_sequence").asText()).isEqualTo("simulator");
  }

  @Test
  void stopSequenceStream() {
    profile();
    Recorded r = golden("stop_sequence_stream", messages("\"stop_sequences\":[\"simulator\"],\"stream\":true", SAY_HELLO));
    assertWellFormed(r.answer().events(), true);
    assertThat(streamedStop(r.answer().events())).containsExactly(expectedStopSequenceReason());
    assertThat(streamedText(r.answer().events())).isEqualTo("Hello from the ");
  }

  // ----------------------------------------------------------------- 7. usage

  static final String USAGE_PROFILE =
      "\"promptTokens\":100,\"cachedPromptTokens\":30,\"cacheCreationTokens\":20,\"completionTokens\":15,\"reasoningTokens\":5";

  Tokens usageTokens() {
    return provider() == WireFormat.ANTHROPIC ? new Tokens(100, 15, 30, 20, 0) : new Tokens(100, 15, 30, 0, 5);
  }

  /** Anthropic's input_tokens leave out the cache reads and writes. */
  void assertAnthropicUsage(JsonNode usage) {
    long written = provider() == WireFormat.ANTHROPIC ? 20 : 0;
    assertThat(usage.path("input_tokens").asLong()).isEqualTo(100 - 30 - written);
    assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(30);
    assertThat(usage.path("cache_creation_input_tokens").asLong()).isEqualTo(written);
    assertThat(usage.path("output_tokens").asLong()).isEqualTo(15);
  }

  @Test
  void usage() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage", messages("", SAY_HELLO));
    assertAnthropicUsage(r.answer().json().path("usage"));
    assertTokensMoved(before, usageTokens());
  }

  @Test
  void usageStream() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage_stream", messages("\"stream\":true", SAY_HELLO));
    ArrayNode events = r.answer().events();
    assertWellFormed(events, true);
    JsonNode start = data(events, "message_start").get(0).path("message").path("usage");
    JsonNode delta = data(events, "message_delta").get(0).path("usage");
    if (passThrough()) {
      ObjectNode whole = ((ObjectNode) start).deepCopy();
      whole.set("output_tokens", delta.get("output_tokens"));
      assertAnthropicUsage(whole);
    } else {
      // The provider reports usage only at its end: message_delta carries the whole of it.
      assertAnthropicUsage(delta);
    }
    assertTokensMoved(before, usageTokens());
  }

  // ----------------------------------------------------------------- 8. errors

  Recorded error(String name, String faultProfile, boolean stream) {
    profile(faultProfile);
    Recorded r = exchange(messages(stream ? "\"stream\":true" : "", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden(name, golden);
    return r;
  }

  static JsonNode errorObject(Recorded r) {
    JsonNode json = r.answer().json();
    assertThat(json.path("type").asText()).as("Anthropic's error shape: %s", r.answer().body()).isEqualTo("error");
    assertThat(json.path("error").path("message").isTextual()).isTrue();
    return json.path("error");
  }

  @Test
  void error400InvalidRequest() {
    Recorded r = error("error_400", "\"fault\":\"error\",\"errorStatus\":400", false);
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(errorObject(r).path("type").asText()).isEqualTo("invalid_request_error");
    if (passThrough()) {
      assertThat(r.answer().json()).as("passed through as sent").isEqualTo(parse(
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"simulated upstream error\"}}"));
    } else {
      assertThat(errorObject(r).path("message").asText()).contains("simulated upstream error");
    }
  }

  /** A stream refused before it began: a plain JSON error with the provider's status, not an SSE body. */
  @Test
  void error400BeforeStream() {
    Recorded r = error("error_400_stream", "\"fault\":\"error\",\"errorStatus\":400", true);
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(r.answer().stream()).isFalse();
    assertThat(errorObject(r).path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void error401Auth() {
    Recorded r = error("error_401", "\"fault\":\"error\",\"errorStatus\":401", false);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("type").asText()).isEqualTo("api_error");
  }

  @Test
  void error429RateLimit() {
    Recorded r = error("error_429", "\"fault\":\"rate_limit\",\"retryAfterSeconds\":7", false);
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().header("retry-after")).isEqualTo("7");
    assertThat(errorObject(r).path("type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void errorServer() {
    boolean anthropic = provider() == WireFormat.ANTHROPIC;
    Recorded r = error(anthropic ? "error_529_overloaded" : "error_500",
        "\"fault\":\"error\",\"errorStatus\":" + (anthropic ? 529 : 500), false);
    assertThat(r.answer().status()).isEqualTo(anthropic ? 503 : 502);
    assertThat(errorObject(r).path("type").asText()).isEqualTo(anthropic ? "overloaded_error" : "api_error");
  }

  @Test
  void errorMidStream() {
    Recorded r = error("error_mid_stream", "\"fault\":\"stream_error\",\"cutAfterChunks\":2", true);
    assertThat(r.answer().status()).isEqualTo(200);
    ArrayNode events = r.answer().events();
    assertWellFormed(events, false);
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("error");
    assertThat(last.path("data").path("type").asText()).isEqualTo("error");
    assertThat(last.path("data").path("error").path("type").isTextual()).isTrue();
    assertThat(last.path("data").path("error").path("message").isTextual()).isTrue();
    assertThat(data(events, "message_delta")).as("no stop reason: the answer did not finish").isEmpty();
  }
}
