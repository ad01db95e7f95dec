package dev.ossaat.orchestrator.compat;

import static dev.ossaat.orchestrator.compat.OpenAiCompat.CHAT_MODEL;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.COMPLETION_TOKENS;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.CONTENT;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.EMBEDDING_MODEL;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.PROMPT_TOKENS;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.SCENARIO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * npm {@code openai} 6.49.0 (compat/openai-client.mjs), over real HTTP, against the gateway in front of
 * a simulated OpenAI provider. The script calls and reports one JSON line; the assertions are here.
 */
class OpenAiNodeSdkTest {
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    NodeSdk.requirePackages("openai");
    gw = OpenAiCompat.start();
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  @BeforeEach
  void healthyProvider() {
    OpenAiCompat.healthy(gw);
  }

  private static JsonNode run(String caseName, String model) {
    return NodeSdk.run("openai-client.mjs", gw.uri("/v1").toString(), caseName, model);
  }

  private static JsonNode ok(JsonNode result) {
    assertThat(result.path("ok").asBoolean()).as("the SDK call succeeded: %s", result).isTrue();
    return result;
  }

  @Test
  void aPlainCompletionHasTheProvidersContentAndUsage() {
    JsonNode r = ok(run("chat", CHAT_MODEL));
    assertThat(r.path("object").asText()).isEqualTo("chat.completion");
    assertThat(r.path("content").asText()).isEqualTo(CONTENT);
    assertThat(r.path("finishReason").asText()).isEqualTo("stop");
    assertThat(r.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(r.path("usage").path("completion_tokens").asInt()).isEqualTo(COMPLETION_TOKENS);
    assertThat(r.path("usage").path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + COMPLETION_TOKENS);
  }

  @Test
  void aStreamWithIncludeUsageConcatenatesToTheContentAndEndsWithUsage() {
    JsonNode r = ok(run("stream", CHAT_MODEL));
    assertThat(r.path("content").asText()).isEqualTo(CONTENT);
    assertThat(r.path("chunks").asInt()).isGreaterThan(2);
    assertThat(r.path("finishReason").asText()).isEqualTo("stop");
    assertThat(r.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(r.path("usage").path("completion_tokens").asInt()).isEqualTo(COMPLETION_TOKENS);
    assertThat(r.path("usageChunkChoices").asInt()).as("OpenAI's usage chunk has no choices").isZero();
  }

  @Test
  void embeddingsAskedAsFloatsAreTheProvidersVectors() {
    JsonNode r = ok(run("embeddings_float", EMBEDDING_MODEL));
    assertThat(vectors(r)).isEqualTo(OpenAiCompat.referenceVectors(gw));
  }

  /**
   * The SDK asks {@code encoding_format: "base64"} by default and decodes base64. A provider that
   * honours it answers base64 (passed on); one that ignores it answers floats, which the gateway
   * encodes as the client asked: the SDK gets the provider's vectors either way, never zeros.
   */
  @Test
  void embeddingsWithTheSdksDefaultBase64EncodingAreTheProvidersVectors() {
    JsonNode r = ok(run("embeddings_default", EMBEDDING_MODEL));
    assertThat(gw.simStats(SCENARIO).path("lastRequestBody").asText()).contains("\"encoding_format\":\"base64\"");
    assertThat(vectors(r)).isEqualTo(OpenAiCompat.referenceVectors(gw));

    gw.simulate(SCENARIO, OpenAiCompat.profile("\"ignoreEncodingFormat\":true"));
    JsonNode floats = ok(run("embeddings_default", EMBEDDING_MODEL));
    assertThat(vectors(floats)).isEqualTo(OpenAiCompat.referenceVectors(gw));
  }

  @Test
  void aStreamTheProviderBreaksRaisesAnApiErrorNotAQuietEnd() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"stream_error\",\"cutAfterChunks\":2"));
    JsonNode r = run("stream_error", CHAT_MODEL);
    assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
    assertThat(r.path("error").path("instanceOf").toString()).contains("\"APIError\"");
  }

  @Test
  void aProviderRateLimitRaisesRateLimitErrorWithRetryAfter() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"rate_limit\",\"retryAfterSeconds\":30"));
    long before = OpenAiCompat.providerRequests(gw);
    JsonNode r = run("chat_error", CHAT_MODEL);
    assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
    JsonNode error = r.path("error");
    assertThat(error.path("name").asText()).isEqualTo("RateLimitError");
    assertThat(error.path("instanceOf").toString()).contains("\"RateLimitError\"", "\"APIError\"");
    assertThat(error.path("status").asInt()).isEqualTo(429);
    assertThat(error.path("headers").path("retry-after").asText()).isEqualTo("30");
    assertThat(OpenAiCompat.providerRequests(gw) - before).isEqualTo(1); // maxRetries 0: one call, not retried
  }

  @Test
  void aProvider400RaisesBadRequestError() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"error\",\"errorStatus\":400"));
    JsonNode r = run("chat_error", CHAT_MODEL);
    assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
    assertThat(r.path("error").path("name").asText()).isEqualTo("BadRequestError");
    assertThat(r.path("error").path("status").asInt()).isEqualTo(400);
    assertThat(r.path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  private static List<List<Double>> vectors(JsonNode r) {
    List<List<Double>> out = new ArrayList<>();
    for (JsonNode v : r.path("vectors")) {
      List<Double> vector = new ArrayList<>();
      v.forEach(x -> vector.add(x.asDouble()));
      out.add(vector);
    }
    return out;
  }
}
