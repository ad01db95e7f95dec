package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI Chat Completions client and a Gemini provider: requests translated to
 * {@code generateContent}, answers and streams back, through the real gateway and the simulator's
 * Gemini format. Golden files in {@code golden/openai-to-gemini}.
 */
class OpenAiToGeminiGoldenTest extends GoldenTestBase {
  static final String TOOLS = OpenAiClientGoldenCases.TOOLS;
  static final String SAY_HELLO = OpenAiClientGoldenCases.SAY_HELLO;
  static final String USAGE_PROFILE = "\"promptTokens\":100,\"cachedPromptTokens\":30,\"completionTokens\":15,\"reasoningTokens\":5";

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  WireFormat provider() {
    return WireFormat.GEMINI;
  }

  @Override
  String pair() {
    return "openai-to-gemini";
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

  String chat(String fields, String messages) {
    return "{\"model\":\"" + model() + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }

  static JsonNode body(Recorded r) {
    return r.last().path("body");
  }

  static JsonNode message(Recorded r) {
    return r.answer().json().path("choices").path(0).path("message");
  }

  static String finishReason(Recorded r) {
    return r.answer().json().path("choices").path(0).path("finish_reason").asText();
  }

  void assertGeminiRequest(Recorded r, boolean stream) {
    assertThat(r.last().path("apiKeyMatched").asBoolean()).as("the gateway's key, in x-goog-api-key").isTrue();
    String path = r.last().path("path").asText();
    assertThat(path).isEqualTo("/" + SCENARIO + "/v1/models/" + model()
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    assertThat(path).doesNotContain("key=");
    assertThat(r.last().path("headers").path("x-goog-api-key").asText()).isEqualTo("<redacted>");
    assertThat(r.last().path("headers").has("authorization")).isFalse();
    assertThat(body(r).has("model")).as("the model is in the URL").isFalse();
    assertThat(body(r).has("messages")).isFalse();
  }

  // ----------------------------------------------------------------- text, images, system

  @Test
  void plainText() {
    profile();
    Recorded r = golden("plain_text", chat("\"temperature\":0.2,\"top_p\":0.9,\"max_tokens\":256", SAY_HELLO));
    assertGeminiRequest(r, false);
    assertThat(body(r).path("contents")).isEqualTo(parse("[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]"));
    assertThat(body(r).path("generationConfig")).isEqualTo(parse("{\"temperature\":0.2,\"topP\":0.9,\"maxOutputTokens\":256}"));
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(r.answer().json().path("object").asText()).isEqualTo("chat.completion");
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
    assertThat(finishReason(r)).isEqualTo("stop");
  }

  @Test
  void plainTextStream() {
    profile();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true", SAY_HELLO));
    assertGeminiRequest(r, true);
    ArrayNode events = r.answer().events();
    assertThat(streamedContent(events)).isEqualTo(CONTENT);
    assertThat(streamedFinish(events)).containsExactly("stop");
    assertCleanEnd(events);
    assertThat(data(events, null).stream().filter(d -> d.has("usage"))).as("usage not asked for").isEmpty();
  }

  @Test
  void images() {
    profile();
    Recorded r = golden("images", chat("", """
        [{"role":"user","content":[
          {"type":"text","text":"Compare these two pictures"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==","detail":"low"}},
          {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]"""));
    JsonNode parts = body(r).path("contents").path(0).path("parts");
    assertThat(parts.path(1)).isEqualTo(parse("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgoAAAANSUhEUg==\"}}"));
    assertThat(parts.path(2)).isEqualTo(parse("{\"fileData\":{\"mimeType\":\"image/jpeg\",\"fileUri\":\"https://example.com/cat.jpg\"}}"));
  }

  /** An image URL whose media type cannot be known: a clear 400 before anything is sent. */
  @Test
  void imageUrlWithoutMediaType() {
    profile();
    long before = gw.simStats(SCENARIO).path("chatRequests").asLong();
    ClientAnswer answer = send(chat("", """
        [{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/render?id=7&sig=secret"}}]}]"""));
    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = answer.json().path("error");
    assertThat(error.path("message").asText()).contains("media type").contains("data: URL").doesNotContain("sig=secret");
    assertThat(gw.simStats(SCENARIO).path("chatRequests").asLong()).as("nothing sent").isEqualTo(before);
  }

  @Test
  void systemAndDeveloperMessages() {
    profile();
    Recorded r = golden("system", chat("", """
        [{"role":"system","content":"You are terse."},
         {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
         {"role":"user","content":"Say hello"}]"""));
    assertThat(body(r).path("systemInstruction"))
        .isEqualTo(parse("{\"parts\":[{\"text\":\"You are terse.\\n\\nAnswer in English.\"}]}"));
    assertThat(body(r).path("contents")).hasSize(1);
  }

  @Test
  void jsonResponseFormats() {
    profile();
    Recorded r = golden("response_format", chat("""
        "response_format":{"type":"json_schema","json_schema":{"name":"greeting","strict":true,"schema":
          {"type":"object","properties":{"text":{"type":"string"},"mood":{"type":["string","null"],"enum":["happy","sad"]}},
           "required":["text"],"additionalProperties":false}}}""", SAY_HELLO));
    JsonNode g = body(r).path("generationConfig");
    assertThat(g.path("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(g.path("responseSchema")).as("additionalProperties dropped, a null type as nullable").isEqualTo(parse("""
        {"type":"object","properties":{"text":{"type":"string"},"mood":{"type":"string","nullable":true,"enum":["happy","sad"]}},
         "required":["text"]}"""));
    profile();
    Recorded jsonObject = exchange(chat("\"response_format\":{\"type\":\"json_object\"}", SAY_HELLO));
    assertThat(body(jsonObject).path("generationConfig")).isEqualTo(parse("{\"responseMimeType\":\"application/json\"}"));
  }

  // ----------------------------------------------------------------- tools

  @Test
  void toolCall() {
    profile();
    Recorded r = golden("tool_call", chat("\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\"",
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    assertGeminiRequest(r, false);
    JsonNode declarations = body(r).path("tools").path(0).path("functionDeclarations");
    assertThat(declarations).hasSize(2);
    assertThat(declarations.path(0).path("name").asText()).isEqualTo("get_weather");
    assertThat(body(r).path("toolConfig")).isEqualTo(parse("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"));
    assertThat(finishReason(r)).isEqualTo("tool_calls");
    JsonNode call = message(r).path("tool_calls").path(0);
    assertThat(call.path("id").asText()).as("a stable id Gemini did not give").isEqualTo("gcall_0_get_weather");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
  }

  @Test
  void toolCallStream() {
    profile();
    Recorded r = golden("tool_call_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":" + TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    ArrayNode events = r.answer().events();
    StringBuilder arguments = new StringBuilder();
    String id = null;
    for (JsonNode d : data(events, null)) {
      for (JsonNode call : d.path("choices").path(0).path("delta").path("tool_calls")) {
        if (call.has("id")) id = call.get("id").asText();
        arguments.append(call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(id).isEqualTo("gcall_0_get_weather");
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(streamedFinish(events)).containsExactly("tool_calls");
    assertCleanEnd(events);
  }

  @Test
  void toolChoices() {
    ObjectNode golden = JSON.createObjectNode();
    String[][] variants = {
        {"auto", "\"tool_choice\":\"auto\""},
        {"none", "\"tool_choice\":\"none\""},
        {"required", "\"tool_choice\":\"required\""},
        {"named", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"}};
    for (String[] v : variants) {
      profile();
      String request = chat("\"tools\":" + TOOLS + "," + v[1], "[{\"role\":\"user\",\"content\":\"Time in Tokyo?\"}]");
      Recorded r = exchange(request);
      ObjectNode part = golden.putObject(v[0]);
      part.set("clientToolChoice", parse(request).path("tool_choice"));
      part.set("providerToolConfig", body(r).path("toolConfig"));
      part.put("finishReason", finishReason(r));
      part.set("toolCalls", message(r).path("tool_calls"));
    }
    assertGolden("tool_choice", golden);
    assertThat(golden.path("none").path("providerToolConfig")).isEqualTo(parse("{\"functionCallingConfig\":{\"mode\":\"NONE\"}}"));
    assertThat(golden.path("none").path("finishReason").asText()).isEqualTo("stop");
    assertThat(golden.path("required").path("providerToolConfig")).isEqualTo(parse("{\"functionCallingConfig\":{\"mode\":\"ANY\"}}"));
    assertThat(golden.path("named").path("providerToolConfig"))
        .isEqualTo(parse("{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_time\"]}}"));
    assertThat(golden.path("named").path("toolCalls").path(0).path("function").path("name").asText()).isEqualTo("get_time");
  }

  /** A generated schema's $defs are inlined (Gemini's Schema has no references), a recursive one cut to an object. */
  @Test
  void toolSchemaReferencesAreInlined() {
    profile();
    Recorded r = exchange(chat("""
        "tools":[{"type":"function","function":{"name":"ship","parameters":{"type":"object",
          "properties":{"to":{"$ref":"#/$defs/Address","description":"where"},"node":{"$ref":"#/$defs/Node"}},
          "required":["to"],"additionalProperties":false,
          "$defs":{"Address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                   "Node":{"type":"object","properties":{"next":{"$ref":"#/$defs/Node"}}}}}}}]""",
        "[{\"role\":\"user\",\"content\":\"Ship it\"}]"));
    JsonNode params = body(r).path("tools").path(0).path("functionDeclarations").path(0).path("parameters");
    assertThat(params.path("properties").path("to")).isEqualTo(parse(
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"description\":\"where\"}"));
    assertThat(params.has("$defs")).isFalse();
    assertThat(params.toString()).doesNotContain("$ref");
    assertThat(r.answer().status()).isEqualTo(200);
  }

  /** Results map back to their functions by the calls' ids; two results are one user turn. */
  @Test
  void toolResults() {
    profile();
    Recorded r = golden("tool_results", chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris and time in Tokyo?"},
         {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"gcall_1_get_time","type":"function","function":{"name":"get_time","arguments":"{\\"tz\\":\\"Asia/Tokyo\\"}"}}]},
         {"role":"tool","tool_call_id":"call_a1","content":"{\\"temp\\":18,\\"sky\\":\\"sunny\\"}"},
         {"role":"tool","tool_call_id":"gcall_1_get_time","content":"21:04"}]"""));
    JsonNode contents = body(r).path("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.path(1)).isEqualTo(parse("""
        {"role":"model","parts":[
          {"functionCall":{"id":"call_a1","name":"get_weather","args":{"city":"Paris"}}},
          {"functionCall":{"name":"get_time","args":{"tz":"Asia/Tokyo"}}}]}"""));
    assertThat(contents.path(2)).isEqualTo(parse("""
        {"role":"user","parts":[
          {"functionResponse":{"id":"call_a1","name":"get_weather","response":{"temp":18,"sky":"sunny"}}},
          {"functionResponse":{"name":"get_time","response":{"result":"21:04"}}}]}"""));
    assertThat(finishReason(r)).isEqualTo("stop");
  }

  /** A result for a call the history does not hold still maps back when the id is one of ours. */
  @Test
  void toolResultByOwnIdAlone() {
    profile();
    Recorded r = exchange(chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Time?"},
         {"role":"tool","tool_call_id":"gcall_0_get_time","content":"21:04"}]"""));
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(body(r).path("contents").path(0).path("parts").path(1).path("functionResponse").path("name").asText()).isEqualTo("get_time");
    profile();
    ClientAnswer unknown = send(chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Time?"},{"role":"tool","tool_call_id":"call_zz","content":"21:04"}]"""));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().path("error").path("message").asText()).contains("call_zz").contains("function's name");
  }

  /**
   * A call's thoughtSignature (Gemini 2.5/3 with thinking; Gemini 3 refuses a call sent back without it)
   * rides in the tool-call id through an OpenAI client and goes back on the call, byte for byte.
   */
  @Test
  void thoughtSignatureRoundTrip() {
    profile();
    Recorded first = golden("thought_signature", chat("\"reasoning_effort\":\"low\",\"tools\":" + TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    String signature = body(first).path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean()
        ? java.util.Base64.getEncoder().encodeToString("sig/get_weather+??".getBytes(java.nio.charset.StandardCharsets.UTF_8)) : null;
    assertThat(signature).as("thinking was asked for").isNotNull();
    JsonNode call = message(first).path("tool_calls").path(0);
    String id = call.path("id").asText();
    assertThat(id).startsWith("gcall_0_get_weather__ts_").matches("[A-Za-z0-9_-]+");
    profile();
    Recorded second = exchange(chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":null,"tool_calls":[%s]},
         {"role":"tool","tool_call_id":"%s","content":"sunny"}]""".formatted(call.toString(), id)));
    JsonNode part = body(second).path("contents").path(1).path("parts").path(0);
    assertThat(part.path("thoughtSignature").asText()).isEqualTo(signature);
    assertThat(part.path("functionCall").has("id")).as("our id is not Gemini's").isFalse();
    assertThat(body(second).path("contents").path(2).path("parts").path(0).path("functionResponse").path("name").asText())
        .isEqualTo("get_weather");
  }

  // ----------------------------------------------------------------- stop reasons and thinking

  @Test
  void stopMaxTokens() {
    profile();
    Recorded r = golden("stop_max_tokens", chat("\"max_tokens\":5", SAY_HELLO));
    assertThat(finishReason(r)).isEqualTo("length");
  }

  @Test
  void stopSequenceStream() {
    profile();
    Recorded r = golden("stop_sequence_stream", chat("\"stop\":[\"simulator\"],\"stream\":true", SAY_HELLO));
    assertThat(body(r).path("generationConfig").path("stopSequences")).isEqualTo(parse("[\"simulator\"]"));
    assertThat(streamedFinish(r.answer().events())).containsExactly("stop");
    assertThat(streamedContent(r.answer().events())).isEqualTo("Hello from the ");
  }

  @Test
  void thinking() {
    profile("\"reasoningTokens\":5");
    Recorded r = golden("thinking", chat("\"reasoning_effort\":\"low\"", SAY_HELLO));
    assertThat(body(r).path("generationConfig").path("thinkingConfig"))
        .isEqualTo(parse("{\"thinkingBudget\":1024,\"includeThoughts\":true}"));
    assertThat(message(r).path("reasoning_content").asText()).isNotEmpty();
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
  }

  @Test
  void thinkingStream() {
    profile("\"reasoningTokens\":5");
    Recorded r = golden("thinking_stream", chat("\"reasoning_effort\":\"low\",\"stream\":true", SAY_HELLO));
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode d : data(r.answer().events(), null)) {
      reasoning.append(d.path("choices").path(0).path("delta").path("reasoning_content").asText(""));
    }
    assertThat(reasoning.toString()).isNotEmpty();
    assertThat(streamedContent(r.answer().events())).isEqualTo(CONTENT);
  }

  // ----------------------------------------------------------------- safety

  @Test
  void safetyStop() {
    profile();
    Recorded r = golden("safety_stop", chat("", "[{\"role\":\"user\",\"content\":\"[sim:safety] something\"}]"));
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(finishReason(r)).isEqualTo("content_filter");
  }

  @Test
  void promptBlocked() {
    profile();
    Recorded r = golden("prompt_blocked", chat("", "[{\"role\":\"user\",\"content\":\"[sim:blocked] something\"}]"));
    assertThat(r.answer().status()).as("a result, not an error a client would retry").isEqualTo(200);
    assertThat(finishReason(r)).isEqualTo("content_filter");
    assertThat(message(r).path("content").asText("")).as("no content").isEmpty();
  }

  @Test
  void safetyStopStream() {
    profile();
    Recorded r = golden("safety_stop_stream", chat("\"stream\":true", "[{\"role\":\"user\",\"content\":\"[sim:safety] x\"}]"));
    assertThat(streamedFinish(r.answer().events())).containsExactly("content_filter");
    assertCleanEnd(r.answer().events());
  }

  @Test
  void promptBlockedStream() {
    profile();
    Recorded r = golden("prompt_blocked_stream", chat("\"stream\":true", "[{\"role\":\"user\",\"content\":\"[sim:blocked] x\"}]"));
    assertThat(streamedFinish(r.answer().events())).containsExactly("content_filter");
    assertCleanEnd(r.answer().events());
  }

  // ----------------------------------------------------------------- usage

  void assertUsage(JsonNode usage) {
    assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(100);
    assertThat(usage.path("completion_tokens").asLong()).as("candidates plus thoughts").isEqualTo(15);
    assertThat(usage.path("total_tokens").asLong()).isEqualTo(115);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(5);
  }

  @Test
  void usage() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage", chat("", SAY_HELLO));
    assertUsage(r.answer().json().path("usage"));
    assertTokensMoved(before, new Tokens(100, 15, 30, 0, 5));
  }

  @Test
  void usageStream() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    List<JsonNode> reports = data(r.answer().events(), null).stream().filter(d -> d.path("usage").isObject()).toList();
    assertThat(reports).hasSize(1);
    assertUsage(reports.get(0).path("usage"));
    assertCleanEnd(r.answer().events());
    assertTokensMoved(before, new Tokens(100, 15, 30, 0, 5));
  }

  // ----------------------------------------------------------------- errors

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
    return error;
  }

  @Test
  void error400InvalidArgument() {
    Recorded r = error("error_400", "\"fault\":\"error\",\"errorStatus\":400", false);
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(errorObject(r).path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(errorObject(r).path("message").asText()).contains("simulated upstream error");
  }

  @Test
  void error403PermissionDenied() {
    Recorded r = error("error_403", "\"fault\":\"error\",\"errorStatus\":403", false);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("auth");
  }

  /** A key Google does not know is its 400 INVALID_ARGUMENT with reason API_KEY_INVALID: auth, not the client's fault. */
  @Test
  void error400ApiKeyInvalid() {
    profile("\"requireApiKey\":\"another-key\"");
    Recorded r = exchange(chat("", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden("error_400_api_key_invalid", golden);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("auth");
    assertThat(r.answer().body()).doesNotContain(PROVIDER_KEY);
  }

  /** A provider that echoes our key in its error (the simulator's echo_credential): the client never sees it. */
  @Test
  void echoedKeyIsRedacted() {
    for (int status : new int[] {400, 403}) {
      profile("\"fault\":\"echo_credential\",\"errorStatus\":" + status);
      ClientAnswer answer = send(chat("", SAY_HELLO));
      assertThat(answer.status()).isIn(400, 502);
      assertThat(answer.body()).contains("API key not valid").doesNotContain(PROVIDER_KEY);
    }
  }

  @Test
  void error429ResourceExhaustedWithRetryInfo() {
    Recorded r = error("error_429", "\"fault\":\"rate_limit\",\"retryAfterSeconds\":7", false);
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().header("retry-after")).as("from the body's RetryInfo: Gemini sends no header").isEqualTo("7");
    assertThat(errorObject(r).path("type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void error500Internal() {
    Recorded r = error("error_500", "\"fault\":\"error\",\"errorStatus\":500", false);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("server_error");
  }

  @Test
  void error503Unavailable() {
    Recorded r = error("error_503_unavailable", "\"fault\":\"error\",\"errorStatus\":503", false);
    assertThat(r.answer().status()).isEqualTo(503);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("provider_overloaded");
  }

  @Test
  void errorMidStream() {
    Recorded r = error("error_mid_stream", "\"fault\":\"stream_error\",\"cutAfterChunks\":2", true);
    assertThat(r.answer().status()).isEqualTo(200);
    ArrayNode events = r.answer().events();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("error");
    assertThat(data(events, null).stream().filter(d -> d.isTextual() && d.asText().equals("[DONE]"))).isEmpty();
    assertThat(streamedFinish(events)).isEmpty();
    assertThat(streamedContent(events)).isNotEmpty();
  }

  /**
   * The body ends cleanly, but before the chunk with the finish reason: Gemini has no end marker, so
   * this is what a cut looks like, and it must not pass for a finished answer.
   */
  @Test
  void cutStream() {
    Recorded r = error("error_cut_stream", "\"fault\":\"cut_stream\",\"cutAfterChunks\":2", true);
    ArrayNode events = r.answer().events();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("error");
    assertThat(last.path("data").path("error").path("message").asText()).contains("ended before its end marker");
    assertThat(streamedFinish(events)).isEmpty();
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", SCENARIO, "error_type", "stream_cut"))
        .isPositive();
  }

  // ----------------------------------------------------------------- helpers (OpenAI stream shape)

  static List<String> streamedFinish(ArrayNode events) {
    return OpenAiClientGoldenCases.streamedFinish(events);
  }

  static String streamedContent(ArrayNode events) {
    return OpenAiClientGoldenCases.streamedContent(events);
  }

  static void assertCleanEnd(ArrayNode events) {
    OpenAiClientGoldenCases.assertCleanEnd(events);
  }
}
