package dev.ossaat.orchestrator.cache;

import static dev.ossaat.orchestrator.cache.RedisCacheTest.cache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identical requests in flight at once reach the provider once: the simulator counts one upstream call
 * for N concurrent identical requests, and every client gets the same answer.
 */
class SingleFlightTest {
  private static final int N = 6;
  private RedisFixture redis;

  @BeforeEach
  void redis() {
    redis = new RedisFixture();
  }

  @AfterEach
  void clean() {
    redis.close();
  }

  private TestGateway start(String backend, String profile) {
    TestGateway gw = TestGateway.start("cache: {enabled: true, type: " + backend + ", ttl: 60}\n" + redis.redisYaml() + """
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("s", profile);
    return gw;
  }

  private static List<HttpResponse<String>> concurrently(TestGateway gw, String path, String body) {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(gw.uri(path).toString())).timeout(Duration.ofSeconds(30))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      all.add(gw.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void concurrentIdenticalRequestsMakeOneUpstreamCall(String backend) {
    try (TestGateway gw = start(backend, "{\"content\":\"once\",\"latencyMs\":600}")) {
      List<HttpResponse<String>> answers = concurrently(gw, "/v1/chat/completions", RedisCacheTest.ask("together"));
      assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
      assertThat(answers.stream().filter(r -> cache(r).equals("miss"))).hasSize(1);
      assertThat(answers.stream().filter(r -> cache(r).equals("hit"))).hasSize(N - 1);
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(1);
      assertThat(gw.metrics().sum("orchestrator_cache_coalesced_total")).isEqualTo(N - 1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory"})
  void concurrentIdenticalStreamsMakeOneUpstreamCall(String backend) {
    try (TestGateway gw = start(backend, "{\"content\":\"one stream for all\",\"chunks\":3,\"ttftMs\":400}")) {
      List<HttpResponse<String>> answers = concurrently(gw, "/v1/chat/completions",
          TestGateway.streamingChat("sim-small", true));
      assertThat(answers).allSatisfy(r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(StreamCacheTest.openAiText(r.body())).isEqualTo("one stream for all");
      });
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory"})
  void whenTheLeaderFailsTheOthersCallOnTheirOwn(String backend) {
    // The first call fails (a 400 is not retried nor cached); the waiting ones then call themselves.
    try (TestGateway gw = start(backend, "{\"content\":\"x\",\"latencyMs\":400,\"fault\":\"error\",\"errorStatus\":400,\"faultCount\":1}")) {
      List<HttpResponse<String>> answers = concurrently(gw, "/v1/chat/completions", RedisCacheTest.ask("fails first"));
      assertThat(answers.stream().filter(r -> r.statusCode() == 400)).hasSize(1);
      assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(N - 1);
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isGreaterThan(1);
    }
  }
}
