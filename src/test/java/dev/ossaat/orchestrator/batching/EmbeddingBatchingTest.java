package dev.ossaat.orchestrator.batching;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Concurrent embeddings requests for one provider and model become ceil(inputs / maxBatchSize)
 * upstream calls (the simulator counts them); each caller gets exactly its own vectors, in its order,
 * and its share of the usage; a failed combined call fails over (or fails) each caller correctly.
 */
class EmbeddingBatchingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<HttpResponse<String>> concurrently(TestGateway gw, List<String> bodies) {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (String body : bodies) {
      HttpRequest r = HttpRequest.newBuilder(gw.uri("/v1/embeddings")).timeout(Duration.ofSeconds(30))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      all.add(gw.http.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  private static String embed(List<String> inputs) {
    try {
      return "{\"model\":\"text-embed\",\"input\":" + JSON.writeValueAsString(inputs) + "}";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The vector the simulator gives each input, asked for directly (not through the gateway). */
  private static Map<String, JsonNode> vectors(TestGateway gw, String scenario, List<String> inputs) throws Exception {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(java.net.URI.create(gw.sim.baseUrl(scenario) + "/embeddings"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(embed(inputs))).build());
    JsonNode data = JSON.readTree(r.body()).path("data");
    Map<String, JsonNode> out = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) out.put(inputs.get(i), data.get(i).path("embedding"));
    return out;
  }

  @Test
  void concurrentRequestsShareUpstreamCallsAndGetTheirOwnVectors() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        providers:
          batching: {enabled: true, maxBatchSize: 10, batchTimeout: 2s}
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: text-embed}
        """)) {
      gw.simulate("s", "{\"promptTokens\":1000}");
      List<String> inputs = new ArrayList<>();
      for (int i = 0; i < 25; i++) inputs.add(String.format("input-%02d", i));
      List<HttpResponse<String>> answers = concurrently(gw, inputs.stream().map(i -> embed(List.of(i))).toList());

      assertThat(gw.simStats("s").path("embeddingRequests").asInt()).as("ceil(25 / 10)").isEqualTo(3);
      Map<String, JsonNode> expected = vectors(gw, "s", inputs);
      long usage = 0;
      for (int i = 0; i < inputs.size(); i++) {
        HttpResponse<String> r = answers.get(i);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("data")).hasSize(1);
        assertThat(body.path("data").get(0).path("index").asInt()).isZero();
        assertThat(body.path("data").get(0).path("embedding")).isEqualTo(expected.get(inputs.get(i)));
        long share = body.path("usage").path("prompt_tokens").asLong();
        assertThat(share).as("1000 tokens over 10 or over 5 equal inputs").isIn(100L, 200L);
        assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(share);
        usage += share;
      }
      assertThat(usage).as("the shares add up to what the provider billed").isEqualTo(3000);
      var m = gw.metrics();
      assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "sim", "type", "prompt")).isEqualTo(3000);
      assertThat(m.sum("orchestrator_batch_size_count", "provider", "sim")).isEqualTo(3);
      assertThat(m.sum("orchestrator_batch_size_sum", "provider", "sim")).isEqualTo(25);
      assertThat(m.sum("orchestrator_batch_wait_seconds_count", "provider", "sim")).isEqualTo(25);
    }
  }

  @Test
  void callersWithSeveralInputsGetTheirOwnInOrder() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        providers:
          batching: {enabled: true, maxBatchSize: 10, batchTimeout: 5s}
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: text-embed}
        """)) {
      gw.simulate("s", "{\"promptTokens\":100}");
      List<List<String>> parts = List.of(List.of("a"), List.of("bb", "cc"), List.of("ddd", "eee", "fff"),
          List.of("g", "h", "i", "j"));
      List<HttpResponse<String>> answers = concurrently(gw, parts.stream().map(EmbeddingBatchingTest::embed).toList());
      assertThat(gw.simStats("s").path("embeddingRequests").asInt()).as("1 + 2 + 3 + 4 = 10 inputs, one full batch").isEqualTo(1);
      List<String> all = parts.stream().flatMap(List::stream).toList();
      Map<String, JsonNode> expected = vectors(gw, "s", all);
      long usage = 0;
      for (int p = 0; p < parts.size(); p++) {
        JsonNode body = JSON.readTree(answers.get(p).body());
        assertThat(body.path("data")).hasSize(parts.get(p).size());
        for (int j = 0; j < parts.get(p).size(); j++) {
          assertThat(body.path("data").get(j).path("index").asInt()).isEqualTo(j);
          assertThat(body.path("data").get(j).path("embedding")).isEqualTo(expected.get(parts.get(p).get(j)));
        }
        usage += body.path("usage").path("prompt_tokens").asLong();
      }
      assertThat(usage).isEqualTo(100);
      // Apportioned by characters: "a" is 1 of 18 characters (100 / 18 = 5.6).
      assertThat(JSON.readTree(answers.get(0).body()).path("usage").path("prompt_tokens").asLong()).isBetween(5L, 6L);
    }
  }

  @Test
  void aFailedBatchFallsBackForEachCaller() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          batching: {enabled: true, maxBatchSize: 4, batchTimeout: 5s}
          alpha:
            baseUrl: "${SIM:alpha}"
            apiKeyRequired: false
            model: text-embed
            circuitBreaker: {threshold: 2, timeout: 60s, halfOpenRequests: 1}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: text-embed}
        """, Map.of("PROVIDER_PREFERENCE", "alpha,beta"))) {
      gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":500}");
      List<String> inputs = List.of("w", "x", "y", "z");
      List<HttpResponse<String>> answers = concurrently(gw, inputs.stream().map(i -> embed(List.of(i))).toList());
      Map<String, JsonNode> expected = vectors(gw, "beta", inputs);
      for (int i = 0; i < inputs.size(); i++) {
        HttpResponse<String> r = answers.get(i);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("beta");
        assertThat(JSON.readTree(r.body()).path("data").get(0).path("embedding")).isEqualTo(expected.get(inputs.get(i)));
      }
      assertThat(gw.simStats("alpha").path("embeddingRequests").asInt()).as("one combined call failed").isEqualTo(1);
      assertThat(gw.simStats("beta").path("embeddingRequests").asInt()).as("the four fell back together (+1: ours)")
          .isEqualTo(2);
      assertThat(gw.metrics().sum("orchestrator_batch_failures_total", "provider", "alpha")).isEqualTo(1);
      // One failed upstream call, counted once against alpha: its breaker (threshold 2) stays closed,
      // while each of the four requests still counts its own error.
      assertThat(gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", "alpha")).isZero();
      assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "error")).isEqualTo(4);
    }
  }

  @Test
  void aFailedBatchWithNowhereToGoFailsEachCallerInItsFormat() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        providers:
          batching: {enabled: true, maxBatchSize: 3, batchTimeout: 5s}
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: text-embed}
        """)) {
      gw.simulate("s", "{\"fault\":\"error\",\"errorStatus\":400}");
      List<HttpResponse<String>> answers = concurrently(gw, List.of(embed(List.of("p")), embed(List.of("q")), embed(List.of("r"))));
      for (HttpResponse<String> r : answers) {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").isObject()).isTrue();
      }
      assertThat(gw.simStats("s").path("embeddingRequests").asInt()).isEqualTo(1);
    }
  }

  @Test
  void aProvidersConcurrencyLimitCountsUpstreamCallsNotTheRequestsInThem() {
    // One call at a time allowed: ten requests still fill one batch (their attempts hold no slot of
    // their own; the combined call holds the one).
    try (TestGateway gw = TestGateway.start("""
        providers:
          batching: {enabled: true, maxBatchSize: 10, batchTimeout: 5s}
          admission: {maxConcurrent: 1, maxQueued: 10, maxWait: 10s}
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: text-embed}
        """)) {
      gw.simulate("s", "{\"latencyMs\":100}");
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 10; i++) bodies.add(embed(List.of("limit-" + i)));
      assertThat(concurrently(gw, bodies)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(gw.simStats("s").path("embeddingRequests").asInt()).isEqualTo(1);
    }
  }

  @Test
  void withoutBatchingEveryRequestIsItsOwnCall() {
    try (TestGateway gw = TestGateway.start("""
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: text-embed}
        """)) {
      concurrently(gw, List.of(embed(List.of("p")), embed(List.of("q")), embed(List.of("r"))));
      assertThat(gw.simStats("s").path("embeddingRequests").asInt()).isEqualTo(3);
    }
  }
}
