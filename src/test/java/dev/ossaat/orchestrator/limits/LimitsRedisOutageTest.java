package dev.ossaat.orchestrator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.GatewayReplicas;
import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.RedisKeys;
import dev.ossaat.orchestrator.testkit.TcpProxy;
import io.vertx.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis "stopped" mid-load, played by a proxy in front of the machine's Redis (never Redis itself):
 * a Redis that stops answering, and one that refuses connections. The configured policy holds,
 * nothing waits longer than the command timeout, and the metrics and the log say what happened.
 */
class LimitsRedisOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"sim-small\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private final RedisKeys redis = new RedisKeys();
  private final ManualClock clock = new ManualClock();
  private Vertx proxyVertx;
  private TcpProxy proxy;
  private GatewayReplicas gw;

  @BeforeEach
  void proxy() {
    proxyVertx = Vertx.vertx();
    proxy = TcpProxy.start(proxyVertx, "127.0.0.1", 6379);
  }

  @AfterEach
  void stop() {
    try {
      if (gw != null) gw.close();
      proxy.close();
      closeVertx(proxyVertx);
    } finally {
      redis.close();
    }
  }

  private static void closeVertx(Vertx v) {
    dev.ossaat.orchestrator.testkit.TestGateway.await(v.close());
  }

  private void start(String policy) {
    gw = GatewayReplicas.start(3, """
        auth: {mode: keys}
        admin: {token: admin-secret}
        redis: {url: "redis://127.0.0.1:%d", keyPrefix: "%s", commandTimeout: 300ms}
        limits: {replicas: 3, onRedisUnavailable: %s, redisRetryInterval: 1s}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, models: [sim-small]}
        """.formatted(proxy.port(), redis.prefix, policy), clock);
  }

  @Test
  void openPolicyDecidesOnEachReplicasShareAndNeverHangs() throws Exception {
    start("open");
    String key = key("{\"tenant\":\"acme\",\"limits\":{\"requestsPerMinute\":30}}");
    for (int r = 0; r < 3; r++) assertThat(post(r, key).statusCode()).isEqualTo(200); // keys cached on every replica

    proxy.hang();
    int ok = 0, refused = 0;
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 15; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = post(0, key);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("request %d took %d ms", i, ms).isLessThan(3000);
        if (r.statusCode() == 200) ok++;
        if (r.statusCode() == 429) refused++;
      }
      // 30 a minute shared by 3 replicas: this replica alone admits its 10.
      assertThat(ok).isEqualTo(10);
      assertThat(refused).isEqualTo(5);
      assertThat(log.grep("limits cannot reach Redis", "locally with 1/3")).hasSize(1); // before the first local answer
    }
    var m = gw.metrics(0);
    assertThat(m.sum("orchestrator_limits_degraded")).isEqualTo(1);
    assertThat(m.sum("orchestrator_limits_fallback_total", "decision", "local")).isEqualTo(15);
    assertThat(m.sum("orchestrator_redis_errors_total", "use", "limits", "reason", "timeout")).isGreaterThanOrEqualTo(1);
    assertThat(m.sum("orchestrator_limit_rejections_total", "reason", "requests", "scope", "key")).isEqualTo(5);
    // Only the first request waited for Redis (the settlement of the last answer before the outage may
    // have met it too): the others were decided at once, within the retry interval.
    assertThat(m.sum("orchestrator_redis_errors_total", "use", "limits")).isBetween(1.0, 2.0);

    proxy.pass();
    clock.advance(Duration.ofSeconds(2));
    try (LogCapture log = new LogCapture()) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        HttpResponse<String> back = post(0, key);
        assertThat(back.statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(gw.metrics(0).sum("orchestrator_limits_degraded")).isZero();
      });
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(log.grep("limits decided in Redis again")).hasSize(1));
    }
  }

  @Test
  void closedPolicyRefusesAtOnceWhileRedisIsDown() throws Exception {
    start("closed");
    String key = key("{\"tenant\":\"acme\",\"limits\":{\"requestsPerMinute\":30}}");
    assertThat(post(1, key).statusCode()).isEqualTo(200);

    proxy.cut();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = post(1, key);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("limits_unavailable");
      assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    }
    var m = gw.metrics(1);
    assertThat(m.sum("orchestrator_limits_fallback_total", "decision", "refused")).isEqualTo(5);
    assertThat(m.sum("orchestrator_limit_rejections_total", "reason", "limits_unavailable")).isEqualTo(5);
    assertThat(m.sum("orchestrator_limits_degraded")).isEqualTo(1);
    assertThat(gw.simStats("a").path("requests").asInt()).isEqualTo(1);

    proxy.pass();
    clock.advance(Duration.ofSeconds(2));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      clock.advance(Duration.ofSeconds(2));
      assertThat(post(1, key).statusCode()).isEqualTo(200);
    });
  }

  private HttpResponse<String> post(int replica, String key) {
    return gw.post(replica, "/v1/chat/completions", CHAT.replace("\"max_tokens\":20,", ""), "authorization", "Bearer " + key);
  }

  private String key(String body) throws Exception {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri(0, "/admin/keys")).header("authorization", "Bearer admin-secret")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).path("key").asText();
  }
}
