package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Gemini API as the simulator speaks it, over real HTTP. */
class GeminiWireTest extends SimulatorHttp {
  private static final String HELLO = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
  private static final String KEY = "AIza-sim";

  private java.net.http.HttpRequest.Builder gemini(String method, String json) {
    return post("models/gemini-2.5-flash:" + method, json).header("x-goog-api-key", KEY);
  }

  private void keyed(String extra) {
    simulator.configure(scenario, SimJson.readProfile(("{\"requireApiKey\":\"" + KEY + "\"" + extra + "}").getBytes(),
        SimProfile.defaults()));
  }

  /** The data objects of a Gemini SSE body, whose events end in CRLF CRLF. */
  private static List<JsonNode> chunks(String body) {
    List<JsonNode> out = new ArrayList<>();
    assertThat(body).endsWith("\r\n\r\n");
    for (String event : body.split("\r\n\r\n")) {
      assertThat(event).startsWith("data: ");
      out.add(json(event.substring(6)));
    }
    return out;
  }

  @Test
  void answerHasGeminisShape() throws Exception {
    keyed(",\"promptTokens\":100,\"cachedPromptTokens\":30,\"completionTokens\":15,\"reasoningTokens\":5");
    HttpResponse<String> r = send(gemini("generateContent", HELLO));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText()).isEqualTo(DEFAULT_CONTENT);
    assertThat(body.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(body.path("usageMetadata")).isEqualTo(json("{\"promptTokenCount\":100,\"candidatesTokenCount\":10,"
        + "\"totalTokenCount\":115,\"cachedContentTokenCount\":30,\"thoughtsTokenCount\":5}"));
    assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(body.path("responseId").asText()).startsWith("gemini_sim_");
  }

  @Test
  void streamIsWholeResponsesWithoutAnEndMarker() throws Exception {
    keyed(",\"chunks\":3");
    HttpResponse<String> r = send(gemini("streamGenerateContent?alt=sse", HELLO));
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<JsonNode> chunks = chunks(r.body());
    assertThat(chunks).hasSize(3);
    StringBuilder text = new StringBuilder();
    for (JsonNode c : chunks) text.append(c.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
    assertThat(text.toString()).isEqualTo(DEFAULT_CONTENT);
    assertThat(chunks.get(2).path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(chunks.get(2).path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(20);
    assertThat(chunks.get(0).path("candidates").path(0).has("finishReason")).isFalse();
  }

  @Test
  void credentialsAreCheckedAsGoogleDoes() throws Exception {
    keyed("");
    assertThat(send(post("models/gemini-2.5-flash:generateContent", HELLO)).statusCode()).as("no key").isEqualTo(403);
    HttpResponse<String> wrong = send(post("models/gemini-2.5-flash:generateContent", HELLO).header("x-goog-api-key", "nope"));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json(wrong.body()).path("error").path("details").path(0).path("reason").asText()).isEqualTo("API_KEY_INVALID");
    HttpResponse<String> inUrl = send(gemini("generateContent?key=" + KEY, HELLO));
    assertThat(inUrl.statusCode()).as("a key in the URL is refused").isEqualTo(400);
    assertThat(inUrl.body()).contains("x-goog-api-key");
  }

  @Test
  void malformedRequestsAreInvalidArgument() throws Exception {
    keyed("");
    HttpResponse<String> openAiShape = send(gemini("generateContent", "{\"model\":\"x\",\"messages\":[]}"));
    assertThat(openAiShape.statusCode()).isEqualTo(400);
    assertThat(json(openAiShape.body()).path("error").path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(send(gemini("generateContent", "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}"))
        .statusCode()).as("the role is model, not assistant").isEqualTo(400);
    assertThat(send(gemini("streamGenerateContent", HELLO)).statusCode()).as("alt=sse is required").isEqualTo(400);
  }

  @Test
  void functionCallsAndResults() throws Exception {
    keyed("");
    String tools = ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}},{\"name\":\"get_time\"}]}]";
    JsonNode call = json(send(gemini("generateContent", HELLO.replace("]}]}", "]}]" + tools + "}"))).body());
    assertThat(call.path("candidates").path(0).path("content").path("parts").path(0).path("functionCall"))
        .isEqualTo(json("{\"name\":\"get_weather\",\"args\":{\"city\":\"sim\"}}"));
    String named = HELLO.replace("]}]}", "]}]" + tools
        + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_time\"]}}}");
    assertThat(json(send(gemini("generateContent", named)).body()).path("candidates").path(0).path("content").path("parts")
        .path(0).path("functionCall").path("name").asText()).isEqualTo("get_time");
    String answered = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        + "{\"name\":\"get_weather\",\"args\":{}}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
        + "\"response\":{\"result\":\"sunny\"}}}]}]" + tools + "}";
    assertThat(json(send(gemini("generateContent", answered)).body()).path("candidates").path(0).path("content").path("parts")
        .path(0).path("text").asText()).isEqualTo(DEFAULT_CONTENT);
  }

  @Test
  void safetyBlocksFromThePrompt() throws Exception {
    keyed("");
    JsonNode blocked = json(send(gemini("generateContent", HELLO.replace("hi", "[sim:blocked]"))).body());
    assertThat(blocked.has("candidates")).isFalse();
    assertThat(blocked.path("promptFeedback").path("blockReason").asText()).isEqualTo("SAFETY");
    JsonNode stopped = json(send(gemini("generateContent", HELLO.replace("hi", "[sim:safety]"))).body());
    assertThat(stopped.path("candidates").path(0).path("finishReason").asText()).isEqualTo("SAFETY");
  }

  @Test
  void faultsUseGooglesErrorBodies() throws Exception {
    keyed(",\"fault\":\"rate_limit\",\"retryAfterSeconds\":7");
    HttpResponse<String> limited = send(gemini("generateContent", HELLO));
    assertThat(limited.statusCode()).isEqualTo(429);
    JsonNode error = json(limited.body()).path("error");
    assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(error.path("details").path(1).path("retryDelay").asText()).isEqualTo("7s");
    keyed(",\"fault\":\"stream_error\",\"cutAfterChunks\":1");
    List<JsonNode> chunks = chunks(send(gemini("streamGenerateContent?alt=sse", HELLO)).body());
    assertThat(chunks.get(chunks.size() - 1).path("error").path("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(2);
  }

  @Test
  void embeddingsAndModels() throws Exception {
    keyed("");
    JsonNode one = json(send(gemini("embedContent", "{\"content\":{\"parts\":[{\"text\":\"a\"}]}}")).body());
    assertThat(one.path("embedding").path("values")).hasSize(8);
    JsonNode batch = json(send(gemini("batchEmbedContents", "{\"requests\":[{\"model\":\"models/m\",\"content\":{\"parts\":[{\"text\":\"a\"}]}},"
        + "{\"model\":\"models/m\",\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}")).body());
    assertThat(batch.path("embeddings")).hasSize(2);
    assertThat(batch.path("embeddings").path(0).path("values")).isEqualTo(one.path("embedding").path("values"));
    HttpResponse<String> models = send(request(java.net.URI.create(simulator.baseUrl(scenario) + "/models")).header("x-goog-api-key", KEY).GET());
    assertThat(json(models.body()).path("models").path(0).path("name").asText()).startsWith("models/gemini");
  }
}
