package dev.ossaat.orchestrator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenAI's {@code POST /v1/embeddings} through orchestrator to simulated Bedrock's InvokeModel (every
 * call SigV4-verified by the simulator): Titan Text Embeddings v2 one text per call (several inputs
 * fanned out, answers in input order, usage the sum of Titan's token counts, {@code dimensions}
 * mapped), base64 encoding, Cohere Embed (no token count: estimated and marked), token ids refused,
 * a Bedrock error class, a fault falling back to another provider, and the OpenAI Java SDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockEmbeddingsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TITAN = "amazon.titan-embed-text-v2:0";
  static final String COHERE = "cohere.embed-english-v3";
  TestGateway gw;

  @BeforeAll
  void start() {
    gw = TestGateway.start("""
        routing: {preference: [aws, backup]}
        providers:
          retry: {maxAttempts: 1}
          aws:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:emb}
            aws: {accessKeyId: %s, secretAccessKey: "%s"}
            model: "%s"
            models: ["%s", "%s"]
          badsig:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:emb-bad}
            aws: {accessKeyId: %s, secretAccessKey: "wrong-secret"}
            model: cohere.embed-multilingual-v3
            models: [cohere.embed-multilingual-v3]
          backup:
            baseUrl: ${SIM:emb-backup}
            apiKeyRequired: false
            model: "%s"
            models: ["%s"]
        """.formatted(BedrockKeys.ACCESS_KEY_ID, BedrockKeys.SECRET_ACCESS_KEY, TITAN, TITAN, COHERE,
        BedrockKeys.ACCESS_KEY_ID, TITAN, TITAN));
  }

  @AfterAll
  void stop() {
    if (gw != null) gw.close();
  }

  @BeforeEach
  void healthy() {
    gw.simulate("emb", "{}");
    gw.simulate("emb-backup", "{}");
  }

  JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  JsonNode lastRequest() throws Exception {
    JsonNode last = json(gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/emb/last-request")).GET().build()).body());
    assertThat(last.path("apiKeyMatched").asBoolean()).as("SigV4 signature verified by the simulator").isTrue();
    return last;
  }

  HttpResponse<String> embed(String body) {
    return gw.post("/v1/embeddings", body);
  }

  @Test
  void titanOneInputWithDimensions() throws Exception {
    HttpResponse<String> r = embed("{\"model\":\"" + TITAN + "\",\"input\":\"hello bedrock world\",\"dimensions\":256}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("model").asText()).isEqualTo(TITAN);
    assertThat(body.path("data").path(0).path("object").asText()).isEqualTo("embedding");
    assertThat(body.path("data").path(0).path("embedding")).hasSize(256);
    assertThat(body.path("usage").path("prompt_tokens").asLong()).as("Titan's inputTextTokenCount").isEqualTo(3);
    assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(3);
    JsonNode last = lastRequest();
    assertThat(last.path("path").asText()).isEqualTo("/emb/v1/model/amazon.titan-embed-text-v2%3A0/invoke");
    assertThat(last.path("body")).isEqualTo(json("{\"inputText\":\"hello bedrock world\",\"dimensions\":256,\"normalize\":true}"));
  }

  /** Ten inputs: ten InvokeModel calls (eight at a time), vectors back in input order, token counts summed. */
  @Test
  void titanSeveralInputsKeepTheirOrderAndSumUsage() throws Exception {
    List<String> inputs = new ArrayList<>();
    long words = 0;
    for (int i = 0; i < 10; i++) {
      StringBuilder text = new StringBuilder("text" + i);
      for (int w = 0; w < i; w++) text.append(" word");
      inputs.add(text.toString());
      words += i + 1;
    }
    long before = gw.simStats("emb").path("embeddingRequests").asLong();
    HttpResponse<String> r = embed("{\"model\":\"" + TITAN + "\",\"input\":" + JSON.writeValueAsString(inputs) + ",\"dimensions\":512}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode data = json(r.body()).path("data");
    assertThat(data).hasSize(10);
    assertThat(gw.simStats("emb").path("embeddingRequests").asLong() - before).isEqualTo(10);
    assertThat(json(r.body()).path("usage").path("prompt_tokens").asLong()).isEqualTo(words);
    for (int i : new int[] {0, 4, 9}) {
      assertThat(data.path(i).path("index").asInt()).isEqualTo(i);
      JsonNode single = json(embed("{\"model\":\"" + TITAN + "\",\"input\":\"" + inputs.get(i) + "\",\"dimensions\":512}").body());
      assertThat(data.path(i).path("embedding")).as("input %d in its place", i).isEqualTo(single.path("data").path(0).path("embedding"));
    }
  }

  @Test
  void base64IsLittleEndianFloats() throws Exception {
    JsonNode floats = json(embed("{\"model\":\"" + TITAN + "\",\"input\":\"x y\",\"dimensions\":256}").body());
    JsonNode b64 = json(embed("{\"model\":\"" + TITAN + "\",\"input\":\"x y\",\"dimensions\":256,\"encoding_format\":\"base64\"}").body());
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.path("data").path(0).path("embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    JsonNode expected = floats.path("data").path(0).path("embedding");
    assertThat(bytes.remaining()).isEqualTo(4 * 256);
    for (JsonNode v : expected) assertThat(bytes.getFloat()).isEqualTo(v.floatValue());
    assertThat(b64.path("usage").path("prompt_tokens").asLong()).isEqualTo(2);
  }

  /** Cohere takes the texts in one call and reports no tokens: the gateway's estimate, marked as such. */
  @Test
  void cohereUsageIsEstimatedAndMarked() throws Exception {
    double estimatedBefore = gw.metrics().sum("orchestrator_provider_estimated_tokens_total", "provider", "aws");
    long before = gw.simStats("emb").path("embeddingRequests").asLong();
    HttpResponse<String> r = embed("{\"model\":\"" + COHERE + "\",\"input\":[\"first text\",\"second text\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.path("data").path(1).path("index").asInt()).isEqualTo(1);
    assertThat(body.path("data").path(0).path("embedding")).hasSize(1024);
    assertThat(body.path("data").path(0).path("embedding")).isNotEqualTo(body.path("data").path(1).path("embedding"));
    assertThat(body.path("usage").path("prompt_tokens").asLong()).isPositive();
    assertThat(gw.simStats("emb").path("embeddingRequests").asLong() - before).as("one call for both texts").isEqualTo(1);
    assertThat(lastRequest().path("body")).isEqualTo(json("{\"texts\":[\"first text\",\"second text\"],\"input_type\":\"search_document\"}"));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_estimated_tokens_total", "provider", "aws") - estimatedBefore).isPositive());
  }

  /** 100 texts: Cohere's limit is 96 per call, so two calls, the vectors in input order; input_type passed on. */
  @Test
  void cohereSplitsAtNinetySixTexts() throws Exception {
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 100; i++) inputs.add("query " + i);
    long before = gw.simStats("emb").path("embeddingRequests").asLong();
    HttpResponse<String> r = embed("{\"model\":\"" + COHERE + "\",\"input_type\":\"search_query\",\"input\":"
        + JSON.writeValueAsString(inputs) + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode data = json(r.body()).path("data");
    assertThat(data).hasSize(100);
    assertThat(gw.simStats("emb").path("embeddingRequests").asLong() - before).isEqualTo(2);
    JsonNode last = lastRequest().path("body");
    assertThat(last.path("input_type").asText()).isEqualTo("search_query");
    assertThat(last.path("texts")).hasSize(4);
    JsonNode single = json(embed("{\"model\":\"" + COHERE + "\",\"input\":\"query 97\"}").body());
    assertThat(data.path(97).path("embedding")).isEqualTo(single.path("data").path(0).path("embedding"));
    HttpResponse<String> badType = embed("{\"model\":\"" + COHERE + "\",\"input_type\":\"poetry\",\"input\":\"a\"}");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(json(badType.body()).path("error").path("message").asText()).contains("input_type");
  }

  @Test
  void tokenIdsAndUnknownDimensionsAreClearBadRequests() throws Exception {
    long before = gw.simStats("emb").path("embeddingRequests").asLong();
    HttpResponse<String> ids = embed("{\"model\":\"" + TITAN + "\",\"input\":[[1,2,3]]}");
    assertThat(ids.statusCode()).isEqualTo(400);
    assertThat(json(ids.body()).path("error").path("message").asText()).contains("text only").contains("token ids");
    HttpResponse<String> dims = embed("{\"model\":\"" + TITAN + "\",\"input\":\"a\",\"dimensions\":300}");
    assertThat(dims.statusCode()).isEqualTo(400);
    assertThat(json(dims.body()).path("error").path("message").asText()).contains("256, 512 or 1024");
    assertThat(gw.simStats("emb").path("embeddingRequests").asLong()).as("Bedrock never called").isEqualTo(before);
    assertThat(gw.simStats("emb-backup").path("embeddingRequests").asLong()).isZero();
  }

  /** Bedrock's ValidationException is the client's error: a 400, no fallback. */
  @Test
  void validationExceptionIsABadRequest() throws Exception {
    gw.simulate("emb", "{\"fault\":\"error\",\"errorStatus\":400}");
    double before = gw.metrics().sum("orchestrator_provider_requests_total", "provider", "aws", "error_type", "bad_request");
    HttpResponse<String> r = embed("{\"model\":\"" + TITAN + "\",\"input\":\"a\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).doesNotContain(BedrockKeys.SECRET_ACCESS_KEY);
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "aws", "error_type", "bad_request") - before)
        .isEqualTo(1);
  }

  /** A signature Bedrock rejects (403 InvalidSignatureException) is an auth failure, the secret never echoed. */
  @Test
  void badSignatureIsAnAuthFailure() throws Exception {
    gw.simulate("emb-bad", "{}");
    double before = gw.metrics().sum("orchestrator_provider_requests_total", "provider", "badsig", "error_type", "auth");
    HttpResponse<String> r = embed("{\"model\":\"cohere.embed-multilingual-v3\",\"input\":\"a\"}");
    assertThat(r.statusCode()).as(r.body()).isNotEqualTo(200);
    assertThat(r.body()).doesNotContain("wrong-secret");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "badsig", "error_type", "auth") - before)
        .isEqualTo(1);
  }

  /** ModelNotReadyException (a 429 from Bedrock) is an overload: the embeddings go to the next provider. */
  @Test
  void modelNotReadyFallsBack() throws Exception {
    gw.simulate("emb", "{\"fault\":\"error\",\"errorStatus\":425}");
    long backupBefore = gw.simStats("emb-backup").path("embeddingRequests").asLong();
    HttpResponse<String> r = embed("{\"model\":\"" + TITAN + "\",\"input\":[\"a\",\"b\",\"c\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("backup");
    assertThat(json(r.body()).path("data")).hasSize(3);
    assertThat(gw.simStats("emb-backup").path("embeddingRequests").asLong() - backupBefore).isEqualTo(1);
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "aws", "error_type", "provider_overloaded"))
        .isPositive();
  }

  @Test
  void titanIsPricedByItsFullId() {
    double before = gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "aws");
    assertThat(embed("{\"model\":\"" + TITAN + "\",\"input\":[\"one two\",\"three four five\"]}").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "aws") - before)
            .isCloseTo(5 * 0.02 / 1_000_000, org.assertj.core.api.Assertions.within(1e-15)));
  }

  /** The real OpenAI Java SDK's embeddings call (it decodes base64 or floats), answered by Titan. */
  @Test
  void openAiJavaSdkEmbeddings() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.uri("/v1").toString()).apiKey("test-key").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
    try {
      CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model(TITAN)
          .inputOfArrayOfStrings(List.of("alpha beta", "gamma")).dimensions(256).build());
      assertThat(r.data()).hasSize(2);
      assertThat(r.data().get(1).index()).isEqualTo(1);
      assertThat(r.data().get(0).embedding()).hasSize(256);
      assertThat(r.usage().promptTokens()).isEqualTo(3);
      CreateEmbeddingResponse b64 = client.embeddings().create(EmbeddingCreateParams.builder().model(TITAN)
          .inputOfArrayOfStrings(List.of("alpha beta", "gamma")).dimensions(256)
          .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
      assertThat(b64.data().get(1).embedding()).isEqualTo(r.data().get(1).embedding());
    } finally {
      client.close();
    }
  }
}
