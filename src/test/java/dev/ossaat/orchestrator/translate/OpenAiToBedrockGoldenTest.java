package dev.ossaat.orchestrator.translate;

import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.SAY_HELLO;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.TOOLS;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.USAGE_PROFILE;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.assertCleanEnd;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.body;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.finishReason;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.message;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.streamedContent;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.streamedFinish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI client and a Bedrock provider: Chat Completions translated to Converse / ConverseStream
 * and back, through the real gateway against the simulator, which verifies every request's SigV4
 * signature ({@code apiKeyMatched} in the golden files is that check) and answers in Bedrock's
 * formats (event-stream framing for streams).
 */
class OpenAiToBedrockGoldenTest extends GoldenTestBase {
  static final String MODEL = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  static final String BAD_SIGNATURE_MODEL = "amazon.nova-lite-v1:0";

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  WireFormat provider() {
    return WireFormat.BEDROCK;
  }

  @Override
  String pair() {
    return "openai-to-bedrock";
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
          circuitBreaker: {threshold: 10000}
          %s:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:%s}
            aws: {accessKeyId: %s, secretAccessKey: "%s"}
            model: "%s"
          badsig:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:%s}
            aws: {accessKeyId: %s, secretAccessKey: "not-the-right-secret"}
            model: "%s"
        """.formatted(SCENARIO, SCENARIO, BedrockKeys.ACCESS_KEY_ID, BedrockKeys.SECRET_ACCESS_KEY, MODEL,
        SCENARIO, BedrockKeys.ACCESS_KEY_ID, BAD_SIGNATURE_MODEL));
  }

  String chat(String fields, String messages) {
    return chat(MODEL, fields, messages);
  }

  static String chat(String model, String fields, String messages) {
    return "{\"model\":\"" + model + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }

  /** Signed with the right key (the simulator checked), to the model's Converse path, its id percent-encoded. */
  static void assertConverse(Recorded r, boolean stream) {
    assertThat(r.last().path("apiKeyMatched").asBoolean()).as("the SigV4 signature verified").isTrue();
    assertThat(r.last().path("path").asText())
        .isEqualTo("/golden/v1/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/" + (stream ? "converse-stream" : "converse"));
    assertThat(r.last().path("headers").path("authorization").asText()).isEqualTo("<redacted>");
    assertThat(body(r).has("model")).as("the model goes in the path only").isFalse();
  }

  // ----------------------------------------------------------------- answers and streams

  @Test
  void plainText() {
    profile();
    Recorded r = golden("plain_text", chat("", SAY_HELLO));
    assertConverse(r, false);
    assertThat(body(r).path("messages")).isEqualTo(parse("[{\"role\":\"user\",\"content\":[{\"text\":\"Say hello\"}]}]"));
    assertThat(body(r).path("inferenceConfig").path("maxTokens").asInt()).as("maxTokensDefault").isEqualTo(4096);
    assertThat(r.answer().status()).isEqualTo(200);
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
    assertThat(finishReason(r)).isEqualTo("stop");
    assertThat(r.answer().json().path("model").asText()).isEqualTo(MODEL);
    assertThat(r.answer().json().path("id").asText()).startsWith("chatcmpl-bedrock-");
  }

  @Test
  void plainTextStream() {
    profile();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true", SAY_HELLO));
    assertConverse(r, true);
    ArrayNode events = r.answer().events();
    assertThat(streamedContent(events)).isEqualTo(CONTENT);
    assertThat(streamedFinish(events)).containsExactly("stop");
    assertThat(data(events, null).stream().filter(d -> d.path("usage").isObject())).isEmpty();
    assertCleanEnd(events);
  }

  /** Each event-stream frame arrives in two TCP reads (the simulator writes halves, apart): the same answer. */
  @Test
  void streamWithFramesSplitAcrossReads() {
    profile("\"chunkIntervalMs\":5");
    ClientAnswer answer = send(chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    assertThat(streamedContent(answer.events())).isEqualTo(CONTENT);
    assertThat(streamedFinish(answer.events())).containsExactly("stop");
    assertCleanEnd(answer.events());
  }

  @Test
  void images() {
    profile();
    Recorded r = golden("images", chat("", """
        [{"role":"user","content":[
          {"type":"text","text":"Describe this picture"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==","detail":"low"}}]}]"""));
    assertConverse(r, false);
    assertThat(body(r).path("messages").path(0).path("content").path(1)).isEqualTo(parse(
        "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBORw0KGgoAAAANSUhEUg==\"}}}"));
  }

  /** Converse takes image bytes only: an image by URL is the client's 400, and Bedrock is never called. */
  @Test
  void imageByUrlIsRefused() {
    profile();
    long before = gw.simStats(SCENARIO).path("requests").asLong();
    ClientAnswer answer = send(chat("", """
        [{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]"""));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", clientAnswerPart(answer));
    assertGolden("image_url_refused", golden);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").path("message").asText()).contains("inline data only");
    assertThat(gw.simStats(SCENARIO).path("requests").asLong()).isEqualTo(before);
  }

  @Test
  void systemAndDeveloperMessages() {
    profile();
    Recorded r = golden("system", chat("", """
        [{"role":"system","content":"You are terse."},
         {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
         {"role":"user","content":"Say hello"}]"""));
    assertConverse(r, false);
    assertThat(body(r).path("system")).isEqualTo(parse("[{\"text\":\"You are terse.\"},{\"text\":\"Answer in English.\"}]"));
    assertThat(body(r).path("messages")).hasSize(1);
  }

  @Test
  void generationParameters() {
    profile();
    Recorded r = golden("inference_config", chat("\"temperature\":1.6,\"top_p\":0.9,\"max_tokens\":300,\"stop\":[\"END\"]", SAY_HELLO));
    assertThat(body(r).path("inferenceConfig")).isEqualTo(parse(
        "{\"maxTokens\":300,\"temperature\":1.0,\"topP\":0.9,\"stopSequences\":[\"END\"]}"));
  }

  // ----------------------------------------------------------------- tools

  @Test
  void toolCall() {
    profile();
    Recorded r = golden("tool_call", chat("\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\"",
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    assertConverse(r, false);
    JsonNode spec = body(r).path("toolConfig").path("tools").path(0).path("toolSpec");
    assertThat(spec.path("name").asText()).isEqualTo("get_weather");
    assertThat(spec.path("inputSchema").path("json").path("required")).isEqualTo(parse("[\"city\"]"));
    assertThat(body(r).path("toolConfig").path("toolChoice")).isEqualTo(parse("{\"auto\":{}}"));
    assertThat(finishReason(r)).isEqualTo("tool_calls");
    JsonNode call = message(r).path("tool_calls").path(0);
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(call.path("id").asText()).startsWith("tooluse_sim_");
  }

  @Test
  void toolCallStream() {
    profile();
    Recorded r = golden("tool_call_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":" + TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    StringBuilder arguments = new StringBuilder();
    String name = null;
    for (JsonNode d : data(r.answer().events(), null)) {
      for (JsonNode call : d.path("choices").path(0).path("delta").path("tool_calls")) {
        if (call.path("function").has("name")) name = call.path("function").get("name").asText();
        arguments.append(call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(name).isEqualTo("get_weather");
    assertThat(arguments.toString()).as("the input deltas concatenate to the arguments").isEqualTo("{\"city\":\"sim\"}");
    assertThat(streamedFinish(r.answer().events())).containsExactly("tool_calls");
    assertCleanEnd(r.answer().events());
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
      Recorded r = exchange(chat("\"tools\":" + TOOLS + "," + v[1], "[{\"role\":\"user\",\"content\":\"Time in Tokyo?\"}]"));
      ObjectNode part = golden.putObject(v[0]);
      part.set("providerToolConfig", body(r).path("toolConfig"));
      part.put("finishReason", finishReason(r));
      part.set("toolCalls", message(r).path("tool_calls"));
    }
    assertGolden("tool_choice", golden);
    assertThat(golden.path("none").path("providerToolConfig").isMissingNode()).as("no tools: Converse has no 'none'").isTrue();
    assertThat(golden.path("none").path("finishReason").asText()).isEqualTo("stop");
    assertThat(golden.path("required").path("providerToolConfig").path("toolChoice")).isEqualTo(parse("{\"any\":{}}"));
    assertThat(golden.path("named").path("providerToolConfig").path("toolChoice")).isEqualTo(parse("{\"tool\":{\"name\":\"get_time\"}}"));
    assertThat(golden.path("named").path("toolCalls").path(0).path("function").path("name").asText()).isEqualTo("get_time");
  }

  @Test
  void toolResults() {
    profile();
    Recorded r = golden("tool_results", chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris and time in Tokyo?"},
         {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"call_b2","type":"function","function":{"name":"get_time","arguments":"{\\"tz\\":\\"Asia/Tokyo\\"}"}}]},
         {"role":"tool","tool_call_id":"call_a1","content":"18C and sunny"},
         {"role":"tool","tool_call_id":"call_b2","content":"21:04"}]"""));
    assertConverse(r, false);
    JsonNode messages = body(r).path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.path(1).path("content").path(0)).isEqualTo(parse(
        "{\"toolUse\":{\"toolUseId\":\"call_a1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}"));
    assertThat(messages.path(2).path("content")).as("both results in one user turn").hasSize(2);
    assertThat(messages.path(2).path("content").path(1)).isEqualTo(parse(
        "{\"toolResult\":{\"toolUseId\":\"call_b2\",\"content\":[{\"text\":\"21:04\"}]}}"));
    assertThat(finishReason(r)).isEqualTo("stop");
  }

  // ----------------------------------------------------------------- stop reasons

  @Test
  void stopReasons() {
    profile();
    Recorded max = golden("stop_max_tokens", chat("\"max_tokens\":5", SAY_HELLO));
    assertThat(finishReason(max)).isEqualTo("length");
    Recorded maxStream = golden("stop_max_tokens_stream", chat("\"max_tokens\":5,\"stream\":true", SAY_HELLO));
    assertThat(streamedFinish(maxStream.answer().events())).containsExactly("length");
    Recorded seq = golden("stop_sequence", chat("\"stop\":[\"simulator\"]", SAY_HELLO));
    assertThat(finishReason(seq)).isEqualTo("stop");
    assertThat(message(seq).path("content").asText()).isEqualTo("Hello from the ");
  }

  // ----------------------------------------------------------------- usage

  /** Bedrock reports inputTokens without the cache reads and writes; the gateway counts all three. */
  static final Tokens USAGE = new Tokens(100, 15, 30, 20, 0);

  static void assertUsage(JsonNode usage) {
    assertThat(usage.path("prompt_tokens").asLong()).as("prompt_tokens include the cached ones").isEqualTo(100);
    assertThat(usage.path("completion_tokens").asLong()).isEqualTo(15);
    assertThat(usage.path("total_tokens").asLong()).isEqualTo(115);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
  }

  @Test
  void usage() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    double costBefore = gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", SCENARIO);
    Recorded r = golden("usage", chat("", SAY_HELLO));
    assertUsage(r.answer().json().path("usage"));
    assertTokensMoved(before, USAGE);
    // Priced as claude-3-5-sonnet (the model the inference profile serves): 50 fresh input tokens at $3,
    // 30 cache reads at $0.30, 20 cache writes at $3.75, 15 output at $15 per million.
    double expected = (50 * 3.00 + 30 * 0.30 + 20 * 3.75 + 15 * 15.00) / 1e6;
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", SCENARIO) - costBefore).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void usageStream() {
    profile(USAGE_PROFILE);
    Tokens before = tokens();
    Recorded r = golden("usage_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    List<JsonNode> reports = data(r.answer().events(), null).stream().filter(d -> d.path("usage").isObject()).toList();
    assertThat(reports).as("one usage chunk").hasSize(1);
    assertUsage(reports.get(0).path("usage"));
    assertCleanEnd(r.answer().events());
    assertTokensMoved(before, USAGE);
  }

  // ----------------------------------------------------------------- errors, one per class

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
    return error;
  }

  @Test
  void validationExceptionIsTheClientsBadRequest() {
    Recorded r = error("error_400_validation", "\"fault\":\"error\",\"errorStatus\":400", false);
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(errorObject(r).path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(errorObject(r).path("message").asText()).contains("ValidationException").contains("simulated upstream error");
  }

  @Test
  void validationExceptionBeforeAStream() {
    Recorded r = error("error_400_validation_stream", "\"fault\":\"error\",\"errorStatus\":400", true);
    assertThat(r.answer().status()).isEqualTo(400);
    assertThat(r.answer().stream()).isFalse();
  }

  @Test
  void refusedCredentialsAreAuth() {
    for (String[] v : new String[][] {{"401", "error_403_unrecognized_client"}, {"403", "error_403_access_denied"}}) {
      Recorded r = error(v[1], "\"fault\":\"error\",\"errorStatus\":" + v[0], false);
      assertThat(r.answer().status()).as(v[1]).isEqualTo(502);
      assertThat(errorObject(r).path("code").asText()).isEqualTo("auth");
    }
  }

  @Test
  void throttlingIsRateLimitWithItsDelay() {
    Recorded r = error("error_429_throttling", "\"fault\":\"rate_limit\",\"retryAfterSeconds\":7", false);
    assertThat(r.answer().status()).isEqualTo(429);
    assertThat(r.answer().header("retry-after")).isEqualTo("7");
    assertThat(errorObject(r).path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(errorObject(r).path("message").asText()).contains("ThrottlingException");
  }

  /** ModelNotReadyException comes as a 429 but is not throttling: the model is warming up (overloaded, retried). */
  @Test
  void modelNotReadyIsOverloadedNotThrottling() {
    Recorded r = error("error_429_model_not_ready", "\"fault\":\"error\",\"errorStatus\":425", false);
    assertThat(r.answer().status()).isEqualTo(503);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("provider_overloaded");
    assertThat(errorObject(r).path("message").asText()).contains("ModelNotReadyException");
  }

  @Test
  void serviceUnavailableIsOverloaded() {
    Recorded r = error("error_503_service_unavailable", "\"fault\":\"error\",\"errorStatus\":503", false);
    assertThat(r.answer().status()).isEqualTo(503);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("provider_overloaded");
  }

  @Test
  void internalServerExceptionIsServerError() {
    Recorded r = error("error_500_internal_server", "\"fault\":\"error\",\"errorStatus\":500", false);
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("server_error");
  }

  @Test
  void modelTimeoutIsTimeout() {
    Recorded r = error("error_408_model_timeout", "\"fault\":\"error\",\"errorStatus\":408", false);
    assertThat(r.answer().status()).isEqualTo(504);
    assertThat(errorObject(r).path("type").asText()).isEqualTo("timeout_error");
  }

  @Test
  void resourceNotFoundIsNotFound() {
    Recorded r = error("error_404_resource_not_found", "\"fault\":\"error\",\"errorStatus\":404", false);
    assertThat(r.answer().status()).isEqualTo(404);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("not_found");
  }

  /** A stream exception after the answer began: the client gets OpenAI's error event, never a clean end. */
  @Test
  void exceptionMidStream() {
    Recorded r = error("error_mid_stream", "\"fault\":\"stream_error\",\"cutAfterChunks\":2", true);
    assertThat(r.answer().status()).isEqualTo(200);
    ArrayNode events = r.answer().events();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("error");
    assertThat(last.path("data").path("error").path("message").asText()).contains("serviceUnavailableException");
    assertThat(data(events, null).stream().filter(d -> d.isTextual() && d.asText().equals("[DONE]"))).isEmpty();
    assertThat(streamedContent(events)).isNotEmpty();
  }

  /** A stream that breaks mid-frame (connection closed): a cut stream, not a clean end. */
  @Test
  void cutStream() {
    profile("\"fault\":\"cut_stream\",\"cutAfterChunks\":1");
    ClientAnswer answer = send(chat("\"stream\":true", SAY_HELLO));
    assertThat(answer.status()).isEqualTo(200);
    ArrayNode events = answer.events();
    assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("error");
  }

  /** A wrong secret: the simulator's signature check refuses it as Bedrock does (403 InvalidSignatureException). */
  @Test
  void badSignatureIsAuth() {
    profile();
    Recorded r = exchange(chat(BAD_SIGNATURE_MODEL, "", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden("error_403_invalid_signature", golden);
    assertThat(r.last().path("apiKeyMatched").asBoolean()).isFalse();
    assertThat(r.answer().status()).isEqualTo(502);
    assertThat(errorObject(r).path("code").asText()).isEqualTo("auth");
    assertThat(errorObject(r).path("message").asText()).contains("InvalidSignatureException")
        .doesNotContain("not-the-right-secret");
  }
}
