package dev.ossaat.orchestrator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.GatewayReplicas;
import dev.ossaat.orchestrator.testkit.RedisKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas on the real Redis, one key: each limit holds for the three together (at most one
 * request over, from the bucket's refill during the burst), for requests, tokens and dollars, with
 * streamed answers settled at their real usage.
 */
class LimitsAcrossReplicasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RedisKeys redis = new RedisKeys();
  private final ExecutorService clients = Executors.newFixedThreadPool(12);
  private GatewayReplicas gw;

  @BeforeEach
  void start() {
    // sim-small: $1000 per million prompt tokens, $2000 per million completion tokens; the simulator
    // reports 10 + 20 tokens, so every answer costs exactly $0.05.
    gw = GatewayReplicas.start(3, """
        auth: {mode: keys}
        admin: {token: admin-secret}
        redis: {keyPrefix: "%s", commandTimeout: 2s}
        limits:
          replicas: 3
          completionEstimate: 5
          tenants:
            spender: {dollarsPerDay: 0.5}
        providers:
          a:
            baseUrl: "${SIM:a}"
            apiKeyRequired: false
            models: [sim-small]
            pricing: {sim-small: {prompt: 1000, completion: 2000}}
        """.formatted(redis.prefix));
  }

  @AfterEach
  void stop() {
    clients.shutdownNow();
    try {
      gw.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void aBurstAgainstNRequestsPerMinuteAdmitsNAcrossThreeReplicas() {
    String key = key("{\"tenant\":\"burst\",\"limits\":{\"requestsPerMinute\":10}}");
    gw.simulate("a", "{\"latencyMs\":200}");
    List<HttpResponse<String>> answers = burst(30, i -> chat(false, 20), key);
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isBetween(10L, 11L);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(refused.body()).contains("\"code\":\"rate_limit_exceeded\"").contains("requests per minute");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
    HttpResponse<String> admitted = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    assertThat(admitted.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10");
    assertThat(admitted.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    assertThat(gw.sum("orchestrator_limit_rejections_total", "reason", "requests", "scope", "key", "tenant_id", "burst"))
        .isEqualTo(30 - ok);
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(ok);
  }

  @Test
  void aBurstOfStreamsAgainstATokensPerMinuteLimitAdmitsWhatFitsAndIsSettledAtItsRealUsage() throws Exception {
    // Reservation = the prompt estimate + max_tokens; make the simulator report exactly that, so N fit.
    String key = key("{\"tenant\":\"tokens\",\"limits\":{\"tokensPerMinute\":300}}");
    long prompt = JSON.readTree(gw.post(0, "/v1/messages/count_tokens", anthropic(true, 20), "x-api-key", key,
        "anthropic-version", "2023-06-01").body()).path("input_tokens").asLong();
    gw.simulate("a", "{\"latencyMs\":300,\"promptTokens\":" + prompt + ",\"completionTokens\":20}");
    long per = prompt + 20;
    List<HttpResponse<String>> answers = burst(24, i -> anthropic(true, 20), key, "anthropic-version", "2023-06-01");
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isBetween(300 / per, 300 / per + 1);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(JSON.readTree(refused.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(refused.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("300");
    for (HttpResponse<String> r : answers) {
      if (r.statusCode() == 200) assertThat(r.body()).contains("message_stop");
    }
    assertThat(gw.sum("orchestrator_limit_rejections_total", "reason", "tokens", "scope", "key")).isEqualTo(24 - ok);
  }

  @Test
  void aStreamThatOverrunsItsReservationIsSettledAtItsRealUsage() {
    // No max_tokens: 5 (limits.completionEstimate) are reserved for the answer; it takes 20.
    String key = key("{\"tenant\":\"overrun\",\"limits\":{\"tokensPerMinute\":600}}");
    HttpResponse<String> first = gw.post(0, "/v1/chat/completions", chat(true, -1), "authorization", "Bearer " + key);
    assertThat(first.statusCode()).isEqualTo(200);
    long afterFirst = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    long reserved = 600 - afterFirst;
    // The settlement lands after the answer: the next admission sees the real 30 tokens charged.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> probe = gw.post(1, "/v1/messages/count_tokens", anthropic(false, 5), "x-api-key", key,
          "anthropic-version", "2023-06-01");
      long left = Long.parseLong(probe.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
      // 600 - 30 real, refilled at 10 tokens a second meanwhile (count_tokens reserves nothing)
      assertThat(left).isBetween(570L, 570L + 40);
    });
    assertThat(reserved).isLessThan(30);
  }

  @Test
  void aDollarBudgetHoldsAcrossReplicasAndStopsABurstMidway() throws Exception {
    String key = key("{\"tenant\":\"spender\"}");
    gw.simulate("a", "{\"latencyMs\":300}");
    List<HttpResponse<String>> answers = burst(30, i -> chat(true, 20), key);
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    // $0.50 a day at $0.05 an answer: 10, or 11 when the estimate is a little under the real cost.
    assertThat(ok).isBetween(10L, 11L);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("daily spend budget of tenant 'spender'");
    assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(refused.headers().firstValue("x-orchestrator-limit")).hasValue("daily_budget; scope=tenant");
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isPositive();
    assertThat(gw.sum("orchestrator_limit_rejections_total", "reason", "daily_budget", "scope", "tenant", "tenant_id", "spender"))
        .isEqualTo(30 - ok);

    // Once the settlements (after the answers) have landed, the next admission sees every answer at its
    // real $0.05, and is refused.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> after = gw.post(2, "/v1/chat/completions", chat(true, 20), "authorization", "Bearer " + key);
      assertThat(after.statusCode()).isEqualTo(429);
      assertThat(gw.metrics(2).sum("orchestrator_budget_spent_dollars", "tenant_id", "spender", "period", "day"))
          .isCloseTo(ok * 0.05, org.assertj.core.data.Offset.offset(0.0001));
    });
    assertThat(gw.metrics(2).sum("orchestrator_budget_used_ratio", "tenant_id", "spender", "period", "day")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aSequentialBurstStopsWhenTheBudgetIsReached() {
    String key = key("{\"tenant\":\"spender\"}");
    int ok = 0;
    String firstRefusal = null;
    for (int i = 0; i < 14; i++) {
      HttpResponse<String> r = gw.post(i % 3, "/v1/chat/completions", chat(true, 20), "authorization", "Bearer " + key);
      if (r.statusCode() == 200) {
        assertThat(firstRefusal).as("an answer after the budget was used up").isNull();
        ok++;
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        if (firstRefusal == null) firstRefusal = r.body();
      }
    }
    assertThat(ok).isBetween(10, 11);
    assertThat(firstRefusal).contains("budget_exceeded");
  }

  @Test
  void concurrentRequestsAreCappedAcrossReplicas() {
    String key = key("{\"tenant\":\"conc\",\"limits\":{\"concurrentRequests\":2}}");
    gw.simulate("a", "{\"latencyMs\":3000}");
    List<HttpResponse<String>> answers = burst(6, i -> chat(false, 20), key);
    assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(2);
    assertThat(answers.stream().filter(r -> r.body().contains("concurrency_limit_exceeded")).count()).isEqualTo(4);
    // Released on settlement: room again.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        gw.post(0, "/v1/chat/completions", chat(false, 20), "authorization", "Bearer " + key).statusCode() == 200);
  }

  @Test
  void anOperatorLowersAUsersLimitAtRunTimeOnEveryReplica() {
    String key = key("{\"tenant\":\"ops\"}");
    HttpResponse<String> set = gw.send(HttpRequest.newBuilder(gw.uri(1, "/admin/limits/tenants/ops/users/mallory"))
        .header("authorization", "Bearer admin-secret").header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"requestsPerMinute\":2}")).build());
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).contains("\"requestsPerMinute\":2");
    int ok = 0;
    for (int i = 0; i < 5; i++) {
      if (gw.post(i % 3, "/v1/chat/completions", chat(false, 20), "authorization", "Bearer " + key, "x-user-id", "mallory")
          .statusCode() == 200) ok++;
    }
    assertThat(ok).isEqualTo(2);
    // Other users of the tenant are not affected.
    assertThat(gw.post(0, "/v1/chat/completions", chat(false, 20), "authorization", "Bearer " + key, "x-user-id", "alice")
        .statusCode()).isEqualTo(200);
    assertThat(gw.sum("orchestrator_limit_rejections_total", "reason", "requests", "scope", "user")).isEqualTo(3);
    // null removes that override (never a limit of 0); DELETE removes them all.
    HttpResponse<String> cleared = gw.send(HttpRequest.newBuilder(gw.uri(2, "/admin/limits/tenants/ops/users/mallory"))
        .header("authorization", "Bearer admin-secret").header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"requestsPerMinute\":null,\"tokensPerMinute\":100000}")).build());
    assertThat(cleared.body()).doesNotContain("requestsPerMinute").contains("\"tokensPerMinute\":100000");
    assertThat(gw.post(1, "/v1/chat/completions", chat(false, 20), "authorization", "Bearer " + key, "x-user-id", "mallory")
        .statusCode()).isEqualTo(200);
    assertThat(gw.send(HttpRequest.newBuilder(gw.uri(2, "/admin/limits/tenants/ops/users/mallory"))
        .header("authorization", "Bearer admin-secret").DELETE().build()).statusCode()).isEqualTo(200);
  }

  private List<HttpResponse<String>> burst(int n, java.util.function.IntFunction<String> body, String key, String... headers) {
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int replica = i % 3;
      String b = body.apply(i);
      boolean anthropic = b.contains("\"max_tokens\"") && headers.length > 0;
      String path = anthropic ? "/v1/messages" : "/v1/chat/completions";
      String[] h = new String[headers.length + 2];
      h[0] = anthropic ? "x-api-key" : "authorization";
      h[1] = anthropic ? key : "Bearer " + key;
      System.arraycopy(headers, 0, h, 2, headers.length);
      futures.add(CompletableFuture.supplyAsync(() -> gw.post(replica, path, b, h), clients));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private String key(String body) {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri(0, "/admin/keys")).header("authorization", "Bearer admin-secret")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    try {
      return JSON.readTree(r.body()).path("key").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String chat(boolean stream, int maxTokens) {
    return "{\"model\":\"sim-small\"" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
        + (maxTokens > 0 ? ",\"max_tokens\":" + maxTokens : "") + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static String anthropic(boolean stream, int maxTokens) {
    return "{\"model\":\"sim-small\",\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }
}
