package dev.ossaat.orchestrator.translate;

import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.SAY_HELLO;
import static dev.ossaat.orchestrator.translate.OpenAiClientGoldenCases.TOOLS;
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
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An OpenAI client and a native Ollama provider ({@code type: ollama}: /api/chat with NDJSON streams, /api/embed). */
class OpenAiToOllamaGoldenTest extends GoldenTestBase {
  static final String MODEL = "llama3.2";

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  WireFormat provider() {
    return WireFormat.OLLAMA;
  }

  @Override
  String pair() {
    return "openai-to-ollama";
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
            type: ollama
            baseUrl: ${SIM:%s}/ollama
            model: %s
            models: [%s, nomic-embed-text]
        """.formatted(SCENARIO, SCENARIO, MODEL, MODEL));
  }

  String chat(String fields, String messages) {
    return "{\"model\":\"" + MODEL + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }

  @Test
  void plainText() {
    profile();
    Recorded r = golden("plain_text", chat("\"temperature\":0.2,\"max_tokens\":100,\"stop\":[\"END\"]", SAY_HELLO));
    assertThat(r.last().path("path").asText()).isEqualTo("/golden/v1/ollama/api/chat");
    assertThat(body(r).path("stream").asBoolean(true)).as("Ollama streams unless told not to").isFalse();
    assertThat(body(r).path("options")).isEqualTo(parse("{\"num_predict\":100,\"temperature\":0.2,\"stop\":[\"END\"]}"));
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
    assertThat(finishReason(r)).isEqualTo("stop");
    assertThat(r.answer().json().path("usage").path("prompt_tokens").asLong()).isEqualTo(10);
    assertThat(r.answer().json().path("usage").path("completion_tokens").asLong()).isEqualTo(20);
  }

  @Test
  void plainTextStream() {
    profile();
    Tokens before = tokens();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    ArrayNode events = r.answer().events();
    assertThat(streamedContent(events)).isEqualTo(CONTENT);
    assertThat(streamedFinish(events)).containsExactly("stop");
    assertCleanEnd(events);
    List<JsonNode> usage = data(events, null).stream().filter(d -> d.path("usage").isObject()).toList();
    assertThat(usage).hasSize(1);
    assertThat(usage.get(0).path("usage").path("total_tokens").asLong()).isEqualTo(30);
    assertTokensMoved(before, new Tokens(10, 20, 0, 0, 0));
  }

  @Test
  void systemAndImages() {
    profile();
    Recorded r = golden("system_images", chat("", """
        [{"role":"system","content":"You are terse."},
         {"role":"user","content":[{"type":"text","text":"Describe"},
           {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}]}]"""));
    assertThat(body(r).path("messages")).isEqualTo(parse("""
        [{"role":"system","content":"You are terse."},
         {"role":"user","content":"Describe","images":["iVBORw0KGgoAAAANSUhEUg=="]}]"""));
  }

  @Test
  void toolCallAndStream() {
    profile();
    Recorded r = golden("tool_call", chat("\"tools\":" + TOOLS, "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    assertThat(body(r).path("tools").path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(finishReason(r)).isEqualTo("tool_calls");
    JsonNode call = message(r).path("tool_calls").path(0);
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(call.path("id").asText()).isEqualTo("call_ollama_0");

    Recorded s = golden("tool_call_stream", chat("\"stream\":true,\"tools\":" + TOOLS, "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]"));
    StringBuilder arguments = new StringBuilder();
    for (JsonNode d : data(s.answer().events(), null)) {
      for (JsonNode c : d.path("choices").path(0).path("delta").path("tool_calls")) arguments.append(c.path("function").path("arguments").asText(""));
    }
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"sim\"}");
    assertThat(streamedFinish(s.answer().events())).containsExactly("tool_calls");
    assertCleanEnd(s.answer().events());
  }

  @Test
  void toolResultsAreToolMessagesNamingTheTool() {
    profile();
    Recorded r = golden("tool_results", chat("\"tools\":" + TOOLS, """
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
         {"role":"tool","tool_call_id":"call_a1","content":"18C and sunny"}]"""));
    assertThat(body(r).path("messages")).isEqualTo(parse("""
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
         {"role":"tool","content":"18C and sunny","tool_name":"get_weather"}]"""));
    assertThat(finishReason(r)).isEqualTo("stop");
  }

  @Test
  void reasoningEffortAsksToThink() {
    profile();
    Recorded r = golden("think", chat("\"reasoning_effort\":\"low\"", SAY_HELLO));
    assertThat(body(r).path("think").asBoolean()).isTrue();
  }

  @Test
  void stopMaxTokens() {
    profile();
    Recorded r = golden("stop_max_tokens", chat("\"max_tokens\":5", SAY_HELLO));
    assertThat(finishReason(r)).isEqualTo("length");
  }

  @Test
  void embeddings() {
    profile("\"promptTokens\":7");
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":[\"alpha\",\"beta\"],\"encoding_format\":\"float\"}");
    ObjectNode golden = JSON.createObjectNode();
    golden.set("providerRequest", providerRequestPart(lastRequest()));
    golden.set("clientAnswer", parse(r.body()));
    assertGolden("embeddings", golden);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode answer = parse(r.body());
    assertThat(answer.path("data")).hasSize(2);
    assertThat(answer.path("data").path(1).path("index").asInt()).isEqualTo(1);
    assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(7);
    assertThat(lastRequest().path("path").asText()).endsWith("/api/embed");
  }

  Recorded error(String name, String faultProfile, boolean stream) {
    profile(faultProfile);
    Recorded r = exchange(chat(stream ? "\"stream\":true" : "", SAY_HELLO));
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientAnswer", r.golden().get("clientAnswer"));
    assertGolden(name, golden);
    return r;
  }

  @Test
  void errors() {
    Recorded notFound = error("error_404_model_not_found", "\"fault\":\"error\",\"errorStatus\":404", false);
    assertThat(notFound.answer().status()).isEqualTo(404);
    assertThat(notFound.answer().body()).contains("model 'llama3.2' not found");
    Recorded server = error("error_500", "\"fault\":\"error\",\"errorStatus\":500", false);
    assertThat(server.answer().status()).isEqualTo(502);
    Recorded limited = error("error_429", "\"fault\":\"rate_limit\",\"retryAfterSeconds\":3", false);
    assertThat(limited.answer().status()).isEqualTo(429);
    assertThat(limited.answer().header("retry-after")).isEqualTo("3");
  }

  @Test
  void errorMidStream() {
    Recorded r = error("error_mid_stream", "\"fault\":\"stream_error\",\"cutAfterChunks\":2", true);
    ArrayNode events = r.answer().events();
    assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("error");
    assertThat(streamedContent(events)).isNotEmpty();
    assertThat(data(events, null).stream().filter(d -> d.isTextual() && d.asText().equals("[DONE]"))).isEmpty();
  }
}
