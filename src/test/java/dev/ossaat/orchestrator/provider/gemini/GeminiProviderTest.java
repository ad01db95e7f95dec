package dev.ossaat.orchestrator.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.ProviderType;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Gemini provider beyond chat translation, through the real gateway and the simulator's Gemini
 * format: OpenAI embeddings requests as embedContent / batchEmbedContents, the probe, the config
 * defaults, and a Gemini overload falling back to another provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "AIza-gemini-test-0001";
  private TestGateway gw;

  @BeforeAll
  void start() {
    gw = TestGateway.start("""
        health: {probes: {enabled: true, interval: 200ms, timeout: 1s}}
        routing: {preference: [gemini, backup]}
        providers:
          retry: {maxAttempts: 1}
          gemini:
            baseUrl: ${SIM:gem}
            apiKey: %s
            model: gemini-2.5-flash
            models: [gemini-2.5-flash, gemini-embedding-001]
          backup:
            baseUrl: ${SIM:backup}
            apiKeyRequired: false
            model: gemini-2.5-flash
        """.formatted(KEY));
  }

  @AfterAll
  void stop() {
    if (gw != null) gw.close();
  }

  private void healthy() {
    gw.simulate("gem", "{\"requireApiKey\":\"" + KEY + "\"}");
    gw.simulate("backup", "{}");
  }

  private JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private JsonNode lastRequest() throws Exception {
    return json(gw.send(java.net.http.HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/gem/last-request")).GET().build()).body());
  }

  @Test
  void oneInputIsEmbedContent() throws Exception {
    healthy();
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"gemini-embedding-001\",\"input\":\"hello\",\"dimensions\":8}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("model").asText()).isEqualTo("gemini-embedding-001");
    assertThat(body.path("data")).hasSize(1);
    assertThat(body.path("data").path(0).path("embedding")).hasSize(8);
    JsonNode last = lastRequest();
    assertThat(last.path("path").asText()).isEqualTo("/gem/v1/models/gemini-embedding-001:embedContent");
    assertThat(last.path("body")).isEqualTo(json("{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":8}"));
    assertThat(last.path("apiKeyMatched").asBoolean()).isTrue();
  }

  @Test
  void severalInputsAreOneBatchInOrder() throws Exception {
    healthy();
    HttpResponse<String> single = gw.post("/v1/embeddings", "{\"model\":\"gemini-embedding-001\",\"input\":\"b\"}");
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"gemini-embedding-001\",\"input\":[\"a\",\"b\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode data = json(r.body()).path("data");
    assertThat(data).hasSize(2);
    assertThat(data.path(1).path("index").asInt()).isEqualTo(1);
    assertThat(data.path(1).path("embedding")).as("the same text embeds the same").isEqualTo(json(single.body()).path("data").path(0).path("embedding"));
    JsonNode last = lastRequest();
    assertThat(last.path("path").asText()).endsWith(":batchEmbedContents");
    assertThat(last.path("body").path("requests").path(1))
        .isEqualTo(json("{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"model\":\"models/gemini-embedding-001\"}"));
  }

  /** The npm SDK asks for base64 by default: Gemini's floats are converted, not handed on as floats. */
  @Test
  void base64IsConverted() throws Exception {
    healthy();
    JsonNode floats = json(gw.post("/v1/embeddings", "{\"model\":\"gemini-embedding-001\",\"input\":\"x\"}").body());
    JsonNode b64 = json(gw.post("/v1/embeddings",
        "{\"model\":\"gemini-embedding-001\",\"input\":\"x\",\"encoding_format\":\"base64\"}").body());
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.path("data").path(0).path("embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    JsonNode expected = floats.path("data").path(0).path("embedding");
    for (int i = 0; i < expected.size(); i++) assertThat((double) bytes.getFloat()).isEqualTo(expected.get(i).asDouble());
  }

  @Test
  void tokenIdsAreAClearBadRequest() throws Exception {
    healthy();
    long before = gw.simStats("gem").path("embeddingRequests").asLong();
    HttpResponse<String> r = gw.post("/v1/embeddings", "{\"model\":\"gemini-embedding-001\",\"input\":[[1,2,3]]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").path("message").asText()).contains("text only");
    assertThat(gw.simStats("gem").path("embeddingRequests").asLong()).isEqualTo(before);
  }

  /** Gemini's 503 UNAVAILABLE is an overload: the request falls back to the next provider. */
  @Test
  void unavailableFallsBack() throws Exception {
    healthy();
    gw.simulate("gem", "{\"requireApiKey\":\"" + KEY + "\",\"fault\":\"error\",\"errorStatus\":503}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("gemini-2.5-flash"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.simStats("backup").path("chatRequests").asLong()).isPositive();
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "gemini", "error_type", "provider_overloaded"))
        .isPositive();
  }

  /** Cached input at its own price, thoughts as output: prices.yaml's gemini-2.5-flash. */
  @Test
  void costPricesCachedAndThinkingTokens() {
    gw.simulate("gem", "{\"requireApiKey\":\"" + KEY + "\",\"promptTokens\":100,\"cachedPromptTokens\":30,"
        + "\"completionTokens\":15,\"reasoningTokens\":5}");
    double before = gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "gemini");
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("gemini-2.5-flash")).statusCode()).isEqualTo(200);
    double expected = (70 * 0.30 + 30 * 0.03 + 15 * 2.50) / 1_000_000;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "gemini") - before)
            .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12)));
    healthy();
  }

  @Test
  void probeListsModelsWithTheKeyInItsHeader() {
    healthy();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      JsonNode p = json(gw.get("/health/providers").body()).path("providers").path("gemini");
      assertThat(p.path("status").asText()).isEqualTo("healthy");
    });
    gw.simulate("gem", "{\"requireApiKey\":\"another-key\"}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      JsonNode p = json(gw.get("/health/providers").body()).path("providers").path("gemini");
      // Degraded or unhealthy depending on what the other tests' traffic left in the health window.
      assertThat(p.path("status").asText()).isNotEqualTo("healthy");
      assertThat(p.path("lastErrorMessage").asText()).contains("probe").contains("API key not valid").doesNotContain(KEY);
    });
    healthy();
  }

  @Test
  void configDefaults() {
    OrchestratorConfig config = TestGateway.config("""
        providers:
          gemini: {apiKey: k, model: gemini-2.5-flash}
          google-backup: {type: google, apiKey: k, model: gemini-2.5-pro}
        """, Map.of(), s -> "http://sim/" + s);
    ProviderConfig gemini = config.providers().stream().filter(p -> p.name().equals("gemini")).findFirst().orElseThrow();
    assertThat(gemini.type()).as("the name implies the type").isEqualTo(ProviderType.GEMINI);
    assertThat(gemini.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
    ProviderConfig other = config.providers().stream().filter(p -> p.name().equals("google-backup")).findFirst().orElseThrow();
    assertThat(other.type()).isEqualTo(ProviderType.GEMINI);
  }
}
