package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cases of an OpenAI Chat Completions client ({@code POST /v1/chat/completions}), whatever the
 * provider speaks; each subclass names the provider format and the golden folder. Every case compares
 * its golden file and asserts the points that matter on its own, so a regenerated file cannot hide a
 * regression of them.
 */
abstract class OpenAiClientGoldenCases extends GoldenTestBase {
  static final String TOOLS = """
      [{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
        "parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city"]}}},
       {"type":"function","function":{"name":"get_time","description":"Local time in a timezone",
        "parameters":{"type":"object","properties":{"tz":{"type":"string"}},"required":["tz"]}}}]""";

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  String chat(String fields, String messages) {
    return "{\"model\":\"" + model() + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }

  static final String SAY_HELLO = "[{\"role\":\"user\",\"content\":\"Say hello\"}]";

  /** The provider request's body. */
  static JsonNode body(Recorded r) {
    return r.last().path("body");
  }

  static JsonNode message(Recorded r) {
    return r.answer().json().path("choices").path(0).path("message");
  }

  static String finishReason(Recorded r) {
    return r.answer().json().path("choices").path(0).path("finish_reason").asText();
  }

  /** The finish reasons of a streamed answer, in order. */
  static List<String> streamedFinish(ArrayNode events) {
    return data(events, null).stream().filter(JsonNode::isObject)
        .map(d -> d.path("choices").path(0).path("finish_reason")).filter(JsonNode::isTextual).map(JsonNode::asText).toList();
  }

  static String streamedContent(ArrayNode events) {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : data(events, null)) out.append(d.path("choices").path(0).path("delta").path("content").asText(""));
    return out.toString();
  }

  /** A clean OpenAI stream ends with [DONE] and nothing after it. */
  static void assertCleanEnd(ArrayNode events) {
    assertThat(events.get(events.size() - 1).path("data").asText()).isEqualTo("[DONE]");
    assertThat(data(events, null).stream().filter(d -> d.isTextual() && d.asText().equals("[DONE]"))).hasSize(1);
  }

  /** What the provider was sent: the client's body as is on pass-through, else a Messages request. */
  void assertProviderGot(Recorded r, String clientBody) {
    assertThat(r.last().path("apiKeyMatched").asBoolean()).as("the gateway's credential, not the client's").isTrue();
    if (passThrough()) {
      assertThat(r.last().path("path").asText()).endsWith("/chat/completions");
      assertThat(body(r)).isEqualTo(parse(clientBody));
    } else {
      assertThat(r.last().path("path").asText()).endsWith("/messages");
      assertThat(r.last().path("headers").path("anthropic-version").asText()).isNotEmpty();
    }
  }

  // ----------------------------------------------------------------- 1. plain text

  @Test
  void plainText() {
    profile();
    String request = chat("", SAY_HELLO);
    Recorded r = golden("plain_text", request);
    assertProviderGot(r, request);
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(r.answer().json().path("object").asText()).isEqualTo("chat.completion");
    assertThat(r.answer().json().path("created").asLong()).as("a real timestamp (golden files hold 0)").isPositive();
    assertThat(r.answer().json().path("id").asText()).startsWith("chatcmpl");
    assertThat(message(r).path("role").asText()).isEqualTo("assistant");
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
    assertThat(finishReason(r)).isEqualTo("stop");
  }

  @Test
  void plainTextStream() {
    profile();
    String request = chat("\"stream\":true", SAY_HELLO);
    Recorded r = golden("plain_text_stream", request);
    assertThat(r.answer().stream()).isTrue();
    ArrayNode events = r.answer().events();
    assertThat(streamedContent(events)).isEqualTo(CONTENT);
    assertThat(streamedFinish(events)).containsExactly("stop");
    assertCleanEnd(events);
    // The client did not ask for usage: no usage report reaches it. (On pass-through the chunks are
    // relayed as bytes, so they keep the "usage": null the provider adds once usage is asked for.)
    assertThat(data(events, null).stream().filter(d -> d.path("usage").isObject())).isEmpty();
    if (!passThrough()) assertThat(data(events, null).stream().filter(d -> d.has("usage"))).isEmpty();
    if (passThrough()) {
      ObjectNode expected = (ObjectNode) parse(request);
      expected.putObject("stream_options").put("include_usage", true);
      assertThat(body(r)).as("only include_usage spliced in").isEqualTo(expected);
    } else {
      assertThat(body(r).path("stream").asBoolean()).isTrue();
    }
  }

  // ----------------------------------------------------------------- 2. images

  @Test
  void images() {
    profile();
    String request = chat("", """
        [{"role":"user","content":[
          {"type":"text","text":"Compare these two pictures"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==","detail":"low"}},
          {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]""");
    Recorded r = golden("images", request);
    assertProviderGot(r, request);
    if (!passThrough()) {
      JsonNode content = body(r).path("messages").path(0).path("content");
      assertThat(content.path(1).path("source")).isEqualTo(parse(
          "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgoAAAANSUhEUg==\"}"));
      assertThat(content.path(2).path("source")).isEqualTo(parse("{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}"));
    }
  }

  // ----------------------------------------------------------------- 3. system prompts

  @Test
  void systemAndDeveloperMessages() {
    profile();
    String request = chat("", """
        [{"role":"system","content":"You are terse."},
         {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
         {"role":"user","content":"Say hello"}]""");
    Recorded r = golden("system", request);
    assertProviderGot(r, request);
    if (!passThrough()) {
      assertThat(body(r).path("system").asText()).isEqualTo("You are terse.\n\nAnswer in English.");
      assertThat(body(r).path("messages")).hasSize(1);
    }
  }

  // ----------------------------------------------------------------- 4. tools

  @Test
  void toolCall() {
    profile();
    String request = chat("\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\"",
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]");
    Recorded r = golden("tool_call", request);
    assertProviderGot(r, request);
    assertThat(finishReason(r)).isEqualTo("tool_calls");
    JsonNode call = message(r).path("tool_calls").path(0);
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(call.path("id").asText()).isNotEmpty();
  }

  @Test
  void toolCallStream() {
    profile();
    String request = chat("\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":" + TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]");
    Recorded r = golden("tool_call_stream", request);
    ArrayNode events = r.answer().events();
    StringBuilder arguments = new StringBuilder();
    String name = null;
    String id = null;
    for (JsonNode d : data(events, null)) {
      for (JsonNode call : d.path("choices").path(0).path("delta").path("tool_calls")) {
        assertThat(call.path("index").asInt()).isEqualTo(0);
        if (call.has("id")) id = call.get("id").asText();
        if (call.path("function").has("name")) name = call.path("function").get("name").asText();
        arguments.append(call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(id).isNotEmpty();
    assertThat(name).isEqualTo("get_weather");
    assertThat(arguments.toString()).as("the argument fragments concatenate to the arguments").isEqualTo("{\"city\":\"sim\"}");
    assertThat(streamedFinish(events)).containsExactly("tool_calls");
    assertCleanEnd(events);
  }

  /** Each tool_choice as the provider received it, and how the simulated model answered. */
  @Test
  void toolChoices() {
    ObjectNode golden = JSON.createObjectNode();
    String[][] variants = {
        {"auto", "\"tool_choice\":\"auto\""},
        {"none", "\"tool_choice\":\"none\""},
        {"required", "\"tool_choice\":\"required\",\"parallel_tool_calls\":false"},
        {"named", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"}};
    for (String[] v : variants) {
      profile();
      String request = chat("\"tools\":" + TOOLS + "," + v[1], "[{\"role\":\"user\",\"content\":\"Time in Tokyo?\"}]");
      Recorded r = exchange(request);
      assertProviderGot(r, request);
      ObjectNode part = golden.putObject(v[0]);
      part.set("clientToolChoice", parse(request).path("tool_choice"));
      part.set("providerToolChoice", body(r).path("tool_choice"));
      part.set("providerParallelToolCalls", body(r).path("parallel_tool_calls"));
      part.put("finishReason", finishReason(r));
      part.set("toolCalls", message(r).path("tool_calls"));
    }
    assertGolden("tool_choice", golden);
    assertThat(golden.path("none").path("finishReason").asText()).isEqualTo("stop");
    assertThat(golden.path("named").path("toolCalls").path(0).path("function").path("name").asText()).isEqualTo("get_time");
    if (!passThrough()) {
      assertThat(golden.path("auto").path("providerToolChoice")).isEqualTo(parse("{\"type\":\"auto\"}"));
      assertThat(golden.path("none").path("providerToolChoice")).isEqualTo(parse("{\"type\":\"none\"}"));
      assertThat(golden.path("required").path("providerToolChoice"))
          .isEqualTo(parse("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
      assertThat(golden.path("named").path("providerToolChoice")).isEqualTo(parse("{\"type\":\"tool\",\"name\":\"get_time\"}"));
    }
  }

  @Test
  void toolResults() {
    profile();
    String request = chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris and time in Tokyo?"},
         {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"call_b2","type":"function","function":{"name":"get_time","arguments":"{\\"tz\\":\\"Asia/Tokyo\\"}"}}]},
         {"role":"tool","tool_call_id":"call_a1","content":"18C and sunny"},
         {"role":"tool","tool_call_id":"call_b2","content":"21:04"}]""");
    Recorded r = golden("tool_results", request);
    assertProviderGot(r, request);
    assertThat(finishReason(r)).isEqualTo("stop");
    if (!passThrough()) {
      JsonNode messages = body(r).path("messages");
      assertThat(messages).hasSize(3);
      assertThat(messages.path(1).path("role").asText()).isEqualTo("assistant");
      assertThat(messages.path(1).path("content").path(0).path("input")).isEqualTo(parse("{\"city\":\"Paris\"}"));
      assertThat(messages.path(2).path("role").asText()).isEqualTo("user");
      assertThat(messages.path(2).path("content")).as("both results in one user turn").hasSize(2);
      assertThat(messages.path(2).path("content").path(1).path("tool_use_id").asText()).isEqualTo("call_b2");
    }
  }

  // ----------------------------------------------------------------- 6. stop reasons

  @Test
  void stopMaxTokens() {
    profile();
    Recorded r = golden("stop_max_tokens", chat("\"max_tokens\":5", SAY_HELLO));
    assertThat(finishReason(r)).isEqualTo("length");
  }

  @Test
  void stopMaxTokensStream() {
    profile();
    Recorded r = golden("stop_max_tokens_stream", chat("\"max_tokens\":5,\"stream\":true", SAY_HELLO));
    assertThat(streamedFinish(r.answer().events())).containsExactly("length");
  }

  @Test
  void stopSequence() {
    profile();
    Recorded r = golden("stop_sequence", chat("\"stop\":[\"simulator\"]", SAY_HELLO));
    assertThat(finishReason(r)).isEqualTo("stop");
    assertThat(message(r).path("content").asText()).isEqualTo("Hello from the ");
  }

  @Test
  void stopSequenceStream() {
    profile();
    Recorded r = golden("stop_sequence_stream", chat("\"stop\":\"simulator\",\"stream\":true", SAY_HELLO));
    assertThat(streamedFinish(r.answer().events())).containsExactly("stop");
    assertThat(streamedContent(r.answer().events())).isEqualTo("Hello from the ");
  }

  // ----------------------------------------------------------------- 7. usage

  static final String USAGE_PROFILE =
      "\"promptTokens\":100,\"cachedPromptTokens\":30,\"cacheCreationTokens\":20,\"completionTokens\":15,\"reasoningTokens\":5";

  /** What the metrics must move by for {@link #USAGE_PROFILE}, from this provider's own report. */
  Tokens usageTokens() {
    return provider() == WireFormat.ANTHROPIC ? new Tokens(100, 15, 30, 20, 0) : new Tokens(100, 15, 30, 0, 5);
  }

  void assertOpenAiUsage(JsonNode usage) {
    assertThat(usage.path("prompt_tokens").asLong()).as("prompt_tokens include the cached ones").isEqualTo(100);
    assertThat(usage.path("completion_tokens").asLong()).isEqualTo(15);
    assertThat(usage.path("total_tokens").asLong()).isEqualTo(115);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong())
        .isEqualTo(provider() == WireFormat.OPENAI ? 5 : 0);
  }

  @Test
  void usage() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage", chat("", SAY_HELLO));
    assertOpenAiUsage(r.answer().json().path("usage"));
    assertTokensMoved(before, usageTokens());
  }

  @Test
  void usageStream() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    List<JsonNode> reports = data(r.answer().events(), null).stream().filter(d -> d.path("usage").isObject()).toList();
    assertThat(reports).as("one usage chunk").hasSize(1);
    assertThat(reports.get(0).path("choices")).isEmpty();
    assertOpenAiUsage(reports.get(0).path("usage"));
    assertCleanEnd(r.answer().events());
    assertTokensMoved(before, usageTokens());
  }

  /** The client asks for no usage; the gateway still gets it (for the metrics) and keeps it from the client. */
  @Test
  void usageStreamNotAskedFor() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    ClientAnswer answer = send(chat("\"stream\":true", SAY_HELLO));
    assertThat(data(answer.events(), null).stream().filter(d -> d.path("usage").isObject())).isEmpty();
    assertTokensMoved(before, usageTokens());
  }

  // ----------------------------------------------------------------- 8. errors

  Recorded error(String name, String faultProfile, boolean stream) {
    profile(faultProfile);
    Recorded r = exchange(chat(stream ? "\"stream\":true" : "", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden(name, golden);
    return r;
  }

  static JsonNode errorObject(Recorded r) {
    JsonNode error = r.answer().json().path("error");
    assertThat(error.isObject()).as("OpenAI's error shape: %s", r.answer().body()).isTrue();
    assertThat(error.path("message").isTextual()).isTrue();
    assertThat(error.path("type").isTextual()).isTrue();
    return error;
  }

  @Test
  void error400InvalidRequest() {
    Recorded r = error("error_400", "\"fault\":\"error\",\"errorStatus\":400", false);
    assertThat(r.answer().status()).isEqualTo(400);
    JsonNode error = errorObject(r);
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    if (passThrough()) {
      assertThat(r.answer().json()).as("passed through as sent").isEqualTo(parse(
          "{\"error\":{\"message\":\"simulated upstream error\",\"type\":\"invalid_request_error\",\"code\":null}}"));
    } else {
      assertThat(error.path("message").asText()).contains("simulated upstream error");
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
    // The provider refused the gateway's credential: the client's request is not at fault.
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("auth");
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
    errorObject(r);
  }

  @Test
  void errorMidStream() {
    Recorded r = error("error_mid_stream", "\"fault\":\"stream_error\",\"cutAfterChunks\":2", true);
    assertThat(r.answer().status()).isEqualTo(200);
    ArrayNode events = r.answer().events();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("error");
    assertThat(last.path("data").path("error").path("message").isTextual()).isTrue();
    assertThat(last.path("data").path("error").path("type").isTextual()).isTrue();
    assertThat(data(events, null).stream().filter(d -> d.isTextual() && d.asText().equals("[DONE]")))
        .as("never a clean end").isEmpty();
    assertThat(streamedFinish(events)).as("no finish reason: the answer did not finish").isEmpty();
    assertThat(streamedContent(events)).as("the content relayed before the error").isNotEmpty();
  }
}
