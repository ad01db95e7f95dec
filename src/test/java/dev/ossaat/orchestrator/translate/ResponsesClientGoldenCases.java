package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cases of an OpenAI Responses client ({@code POST /v1/responses}), whatever the provider speaks:
 * Chat Completions and Anthropic Messages (translated), or Responses itself (an OpenAI provider with
 * {@code responsesApi: true}: pass-through). Every case compares its golden file and asserts what
 * matters on its own. Ids orchestrator generates ({@code resp_}, {@code msg_}, {@code fc_}, {@code rs_}
 * and 48 random hex digits) and {@code created_at} are normalised in the files.
 */
abstract class ResponsesClientGoldenCases extends GoldenTestBase {
  static final String TOOLS = """
      [{"type":"function","name":"get_weather","description":"Current weather for a city","strict":false,
        "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
       {"type":"function","name":"get_time","description":"Local time in a timezone",
        "parameters":{"type":"object","properties":{"tz":{"type":"string"}},"required":["tz"]}}]""";

  @Override
  WireFormat client() {
    return WireFormat.RESPONSES;
  }

  @Override
  String clientPath() {
    return "/v1/responses";
  }

  @Override
  String model() {
    return provider() == WireFormat.ANTHROPIC ? ANTHROPIC_MODEL : OPENAI_MODEL;
  }

  /** The provider's type in config: a Responses provider is an OpenAI one that declares {@code responsesApi}. */
  @Override
  @BeforeAll
  void startGateway() {
    String type = provider() == WireFormat.ANTHROPIC ? "anthropic" : "openai";
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 10000}
          %s:
            type: %s
            baseUrl: ${SIM:%s}
            apiKey: %s
            model: %s
            models: [%s]
        %s""".formatted(SCENARIO, type, SCENARIO, PROVIDER_KEY, model(), model(),
        provider() == WireFormat.RESPONSES ? "    responsesApi: true\n" : ""));
  }

  @Override
  void assertGolden(String name, JsonNode actual) {
    String text = actual.toString()
        .replaceAll("\\b(resp|msg|fc|rs_orc|rs)_[0-9a-f]{48}\\b", "$1_N")
        .replaceAll("\"created_at\":\\d+", "\"created_at\":0")
        .replaceAll("resp_sim_\\d+", "resp_sim_N")
        .replaceAll("fc_sim_\\d+", "fc_sim_N");
    super.assertGolden(name, parse(text));
  }

  String request(String fields) {
    return "{\"model\":\"" + model() + "\"," + fields + "}";
  }

  static JsonNode body(Recorded r) {
    return r.last().path("body");
  }

  static JsonNode response(Recorded r) {
    return r.answer().json();
  }

  /** The text of a response's message items. */
  static String outputText(JsonNode response) {
    StringBuilder out = new StringBuilder();
    for (JsonNode item : response.path("output")) {
      for (JsonNode part : item.path("content")) if (part.path("type").asText().equals("output_text")) out.append(part.path("text").asText());
    }
    return out.toString();
  }

  static List<String> types(ArrayNode events) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) out.add(e.path("event").asText());
    return out;
  }

  static JsonNode last(ArrayNode events) {
    return events.get(events.size() - 1).path("data");
  }

  static String deltas(ArrayNode events, String type) {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : data(events, type)) out.append(d.path("delta").asText());
    return out.toString();
  }

  /** Events named as their type, numbered from 0 without gaps. */
  static void assertWellFormed(ArrayNode events) {
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(e.path("data").path("type").asText()).isEqualTo(e.path("event").asText());
      if (!e.path("event").asText().equals("error")) assertThat(e.path("data").path("sequence_number").asInt()).isEqualTo(i);
    }
  }

  void assertProviderGot(Recorded r, String clientBody) {
    assertThat(r.last().path("apiKeyMatched").asBoolean()).as("the gateway's credential, not the client's").isTrue();
    String path = r.last().path("path").asText();
    switch (provider()) {
      case RESPONSES -> {
        assertThat(path).endsWith("/responses");
        assertThat(body(r)).as("pass-through: the client's body as sent").isEqualTo(parse(clientBody));
      }
      case OPENAI -> assertThat(path).endsWith("/chat/completions");
      case ANTHROPIC -> assertThat(path).endsWith("/messages");
    }
  }

  // ----------------------------------------------------------------- text

  @Test
  void plainText() {
    profile();
    String request = request("\"instructions\":\"Be brief\",\"input\":\"Say hello\"");
    Recorded r = golden("plain_text", request);
    assertProviderGot(r, request);
    JsonNode resp = response(r);
    assertThat(resp.path("object").asText()).isEqualTo("response");
    assertThat(resp.path("id").asText()).startsWith("resp_");
    assertThat(resp.path("status").asText()).isEqualTo("completed");
    assertThat(resp.path("instructions").asText()).isEqualTo("Be brief");
    assertThat(outputText(resp)).isEqualTo(CONTENT);
    assertThat(resp.path("usage").path("input_tokens").asInt()).isEqualTo(10);
    assertThat(resp.path("usage").path("output_tokens").asInt()).isEqualTo(20);
    assertThat(resp.path("store").asBoolean()).isTrue();
    if (provider() == WireFormat.OPENAI) {
      assertThat(body(r).path("messages")).isEqualTo(parse(
          "[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"Say hello\"}]"));
    } else if (provider() == WireFormat.ANTHROPIC) {
      assertThat(body(r).path("system").asText()).isEqualTo("Be brief");
    }
  }

  @Test
  void plainTextStream() {
    profile();
    String request = request("\"stream\":true,\"input\":\"Say hello\"");
    Recorded r = golden("plain_text_stream", request);
    assertProviderGot(r, request);
    ArrayNode events = r.answer().events();
    assertWellFormed(events);
    assertThat(types(events).get(0)).isEqualTo("response.created");
    assertThat(types(events).get(events.size() - 1)).isEqualTo("response.completed");
    assertThat(deltas(events, "response.output_text.delta")).isEqualTo(CONTENT);
    assertThat(outputText(last(events).path("response"))).isEqualTo(CONTENT);
    assertThat(last(events).path("response").path("usage").path("total_tokens").asInt()).isEqualTo(30);
  }

  @Test
  void inputItemsWithImagesAndADeveloperMessage() {
    profile();
    String request = request("""
        "input":[{"role":"developer","content":"Answer in English."},
          {"type":"message","role":"user","content":[
            {"type":"input_text","text":"Compare these two pictures"},
            {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==","detail":"low"},
            {"type":"input_image","image_url":"https://example.com/cat.jpg"}]},
          {"role":"assistant","content":[{"type":"output_text","text":"Two cats."}]},
          {"role":"user","content":"Which is bigger?"}]""");
    Recorded r = golden("input_items", request);
    assertProviderGot(r, request);
    if (provider() == WireFormat.ANTHROPIC) {
      assertThat(body(r).path("system").asText()).isEqualTo("Answer in English.");
      JsonNode content = body(r).path("messages").path(0).path("content");
      assertThat(content.path(1).path("source")).isEqualTo(parse(
          "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgoAAAANSUhEUg==\"}"));
      assertThat(content.path(2).path("source")).isEqualTo(parse("{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}"));
      assertThat(body(r).path("messages")).hasSize(3);
    } else if (provider() == WireFormat.OPENAI) {
      JsonNode parts = body(r).path("messages").path(1).path("content");
      assertThat(parts.path(1)).isEqualTo(parse(
          "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==\",\"detail\":\"low\"}}"));
    }
  }

  // ----------------------------------------------------------------- tools

  @Test
  void toolCall() {
    profile();
    String request = request("\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\",\"input\":\"Weather in Paris?\"");
    Recorded r = golden("tool_call", request);
    assertProviderGot(r, request);
    JsonNode call = response(r).path("output").path(0);
    assertThat(call.path("type").asText()).isEqualTo("function_call");
    assertThat(call.path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(call.path("call_id").asText()).isNotEmpty();
    assertThat(call.path("status").asText()).isEqualTo("completed");
    if (provider() == WireFormat.OPENAI) {
      assertThat(body(r).path("tools").path(0)).isEqualTo(parse("""
          {"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
           "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}"""));
    } else if (provider() == WireFormat.ANTHROPIC) {
      assertThat(body(r).path("tools").path(0).path("input_schema").path("required")).isEqualTo(parse("[\"city\"]"));
    }
  }

  @Test
  void toolCallStream() {
    profile();
    String request = request("\"stream\":true,\"tools\":" + TOOLS + ",\"input\":\"Weather in Paris?\"");
    Recorded r = golden("tool_call_stream", request);
    ArrayNode events = r.answer().events();
    assertWellFormed(events);
    assertThat(deltas(events, "response.function_call_arguments.delta")).isEqualTo("{\"city\":\"sim\"}");
    JsonNode done = data(events, "response.function_call_arguments.done").get(0);
    assertThat(done.path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
    JsonNode item = last(events).path("response").path("output").path(0);
    assertThat(item.path("type").asText()).isEqualTo("function_call");
    assertThat(item.path("name").asText()).isEqualTo("get_weather");
    assertThat(types(events)).contains("response.output_item.added", "response.output_item.done").doesNotContain("error");
  }

  @Test
  void toolResults() {
    profile();
    String request = request("\"tools\":" + TOOLS + """
        ,"input":[{"role":"user","content":"Weather in Paris?"},
          {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
          {"type":"function_call_output","call_id":"call_1","output":"{\\"temperature\\":21}"}]""");
    Recorded r = golden("tool_results", request);
    assertProviderGot(r, request);
    assertThat(outputText(response(r))).isEqualTo(CONTENT);
    if (provider() == WireFormat.OPENAI) {
      JsonNode messages = body(r).path("messages");
      assertThat(messages.path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_1");
      assertThat(messages.path(2)).isEqualTo(parse("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"temperature\\\":21}\"}"));
    } else if (provider() == WireFormat.ANTHROPIC) {
      JsonNode messages = body(r).path("messages");
      assertThat(messages.path(1).path("content").path(0).path("type").asText()).isEqualTo("tool_use");
      assertThat(messages.path(2).path("content").path(0).path("tool_use_id").asText()).isEqualTo("call_1");
    }
  }

  // ----------------------------------------------------------------- parameters

  @Test
  void generationParametersAndJsonSchema() {
    profile();
    String request = request("""
        "input":"Give me a city","temperature":0.3,"top_p":0.9,"max_output_tokens":500,"user":"u-42",
        "metadata":{"trace":"t-1"},"parallel_tool_calls":false,"tools":%s,"tool_choice":{"type":"function","name":"get_time"},
        "text":{"format":{"type":"json_schema","name":"city","strict":true,
          "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}""".formatted(TOOLS));
    Recorded r = golden("parameters", request);
    assertProviderGot(r, request);
    JsonNode resp = response(r);
    assertThat(resp.path("metadata")).isEqualTo(parse("{\"trace\":\"t-1\"}"));
    assertThat(resp.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(resp.path("output").path(0).path("name").asText()).isEqualTo("get_time");
    if (provider() == WireFormat.OPENAI) {
      JsonNode b = body(r);
      assertThat(b.path("max_tokens").asInt()).isEqualTo(500);
      assertThat(b.path("user").asText()).isEqualTo("u-42");
      assertThat(b.path("parallel_tool_calls").asBoolean(true)).isFalse();
      assertThat(b.path("response_format").path("json_schema").path("name").asText()).isEqualTo("city");
      assertThat(b.path("tool_choice")).isEqualTo(parse("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));
    } else if (provider() == WireFormat.ANTHROPIC) {
      JsonNode b = body(r);
      assertThat(b.path("max_tokens").asInt()).isEqualTo(500);
      assertThat(b.path("metadata").path("user_id").asText()).isEqualTo("u-42");
      assertThat(b.path("tool_choice").path("name").asText()).isEqualTo("get_time");
    }
  }

  @Test
  void reasoningEffort() {
    profile();
    String request = request("\"reasoning\":{\"effort\":\"low\"},\"max_output_tokens\":2048,\"input\":\"Say hello\"");
    Recorded r = golden("reasoning", request);
    assertProviderGot(r, request);
    if (provider() == WireFormat.OPENAI) assertThat(body(r).path("reasoning_effort").asText()).isEqualTo("low");
    if (provider() == WireFormat.ANTHROPIC) {
      assertThat(body(r).path("thinking")).isEqualTo(parse("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
      JsonNode reasoning = response(r).path("output").path(0);
      assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
      assertThat(reasoning.path("encrypted_content").asText()).as("Anthropic's signature, kept for the next turn").isNotEmpty();
    }
  }

  // ----------------------------------------------------------------- usage and limits

  @Test
  void usageWithCachedAndReasoningTokens() {
    profile("\"cachedPromptTokens\":4,\"cacheCreationTokens\":3,\"reasoningTokens\":6");
    Tokens before = tokens();
    Recorded r = golden("usage", request("\"input\":\"Say hello\""));
    JsonNode usage = response(r).path("usage");
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(10);
    assertThat(usage.path("output_tokens").asInt()).isEqualTo(20);
    if (provider() == WireFormat.ANTHROPIC) {
      assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(4);
      assertThat(usage.path("input_tokens_details").path("cache_write_tokens").asInt()).isEqualTo(3);
      assertTokensMoved(before, new Tokens(10, 20, 4, 3, 0));
    } else {
      assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(4);
      assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(6);
      assertTokensMoved(before, new Tokens(10, 20, 4, 0, 6));
    }
  }

  @Test
  void usageWithCachedAndReasoningTokensStream() {
    profile("\"cachedPromptTokens\":4,\"cacheCreationTokens\":3,\"reasoningTokens\":6");
    Tokens before = tokens();
    Recorded r = golden("usage_stream", request("\"stream\":true,\"input\":\"Say hello\""));
    JsonNode usage = last(r.answer().events()).path("response").path("usage");
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(10);
    assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(4);
    assertTokensMoved(before, provider() == WireFormat.ANTHROPIC ? new Tokens(10, 20, 4, 3, 0) : new Tokens(10, 20, 4, 0, 6));
  }

  @Test
  void outputLimit() {
    profile();
    Recorded r = golden("max_tokens", request("\"max_output_tokens\":16,\"input\":\"Say hello\""));
    assertThat(response(r).path("status").asText()).isEqualTo("incomplete");
    assertThat(response(r).path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
  }

  @Test
  void outputLimitStream() {
    profile();
    Recorded r = golden("max_tokens_stream", request("\"stream\":true,\"max_output_tokens\":16,\"input\":\"Say hello\""));
    ArrayNode events = r.answer().events();
    assertWellFormed(events);
    assertThat(types(events).get(events.size() - 1)).isEqualTo("response.incomplete");
  }

  // ----------------------------------------------------------------- errors

  @Test
  void providerRateLimit() {
    profile("\"fault\":\"rate_limit\",\"faultRate\":1.0,\"retryAfterSeconds\":7");
    Recorded r = golden("error_429", request("\"input\":\"Say hello\""));
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().json().path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(r.answer().header("retry-after")).isEqualTo("7");
  }

  @Test
  void providerBadRequest() {
    profile("\"fault\":\"error\",\"faultRate\":1.0,\"errorStatus\":400");
    Recorded r = golden("error_400", request("\"input\":\"Say hello\""));
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(r.answer().json().path("error").path("message").asText()).isNotEmpty();
  }

  @Test
  void errorMidStream() {
    profile("\"fault\":\"stream_error\",\"faultRate\":1.0,\"cutAfterChunks\":3");
    Recorded r = golden("error_mid_stream", request("\"stream\":true,\"input\":\"Say hello\""));
    ArrayNode events = r.answer().events();
    List<String> types = types(events);
    assertThat(types).doesNotContain("response.completed");
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("response.failed", "error");
    assertThat(last(events).path("error").path("type").asText()).isIn("upstream_error", "overloaded_error");
    assertThat(last(events).path("message").asText()).contains(SCENARIO);
  }
}
