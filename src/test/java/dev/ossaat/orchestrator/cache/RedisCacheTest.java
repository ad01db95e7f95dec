package dev.ossaat.orchestrator.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cache.type: redis} against the machine's Redis (under a key prefix of the test's own): shared
 * by every replica, TTL read from the entry against the gateway's clock, {@code maxSize} enforced,
 * entries compressed or not, and a Redis that stops answering degrading to misses, never failures.
 */
class RedisCacheTest {
  private RedisFixture redis;

  @BeforeEach
  void redis() {
    redis = new RedisFixture();
  }

  @AfterEach
  void clean() {
    redis.close();
  }

  private String yaml(String cache) {
    return "cache: {enabled: true, type: redis, " + cache + "}\n" + redis.redisYaml() + """
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """;
  }

  static String ask(String content) {
    return "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
  }

  static String cache(HttpResponse<String> r) {
    return r.headers().firstValue("x-orchestrator-cache").orElse("none");
  }

  /** Writes happen after the answer has gone out: wait until {@code n} have landed. */
  static void awaitStores(TestGateway gw, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.metrics().sum("orchestrator_cache_stores_total") >= n);
  }

  @Test
  void twoReplicasShareEntries() {
    try (TestGateway a = TestGateway.start(yaml("ttl: 60"));
        TestGateway b = TestGateway.start(yaml("ttl: 60"))) {
      a.simulate("s", "{\"content\":\"shared answer\"}");
      HttpResponse<String> first = a.post("/v1/chat/completions", ask("one"));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(cache(first)).isEqualTo("miss");
      awaitStores(a, 1);
      HttpResponse<String> other = b.post("/v1/chat/completions", ask("one"));
      assertThat(cache(other)).isEqualTo("hit");
      assertThat(other.body()).isEqualTo(first.body()).contains("shared answer");
      assertThat(b.simStats("s").path("chatRequests").asInt()).as("replica b never called its provider").isZero();
      assertThat(b.metrics().sum("orchestrator_provider_cache_hits_total", "model", "sim-small")).isEqualTo(1);
      assertThat(redis.entries()).hasSize(1);
    }
  }

  @Test
  void entriesExpireOnTheGatewaysClock() {
    ManualClock clock = new ManualClock();
    try (TestGateway gw = TestGateway.start(yaml("ttl: 30"), clock)) {
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).isEqualTo("miss");
      awaitStores(gw, 1);
      clock.advance(Duration.ofSeconds(29));
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).isEqualTo("hit");
      clock.advance(Duration.ofSeconds(2));
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).as("past its 30 s").isEqualTo("miss");
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(2);
    }
  }

  @Test
  void perRequestTtlShortensTheEntrysLife() {
    ManualClock clock = new ManualClock();
    try (TestGateway gw = TestGateway.start(yaml("ttl: 3600"), clock)) {
      gw.post("/v1/chat/completions", ask("short"), "x-orchestrator-cache-ttl", "5");
      awaitStores(gw, 1);
      clock.advance(Duration.ofSeconds(4));
      assertThat(cache(gw.post("/v1/chat/completions", ask("short")))).isEqualTo("hit");
      clock.advance(Duration.ofSeconds(2));
      assertThat(cache(gw.post("/v1/chat/completions", ask("short")))).isEqualTo("miss");
    }
  }

  @Test
  void maxSizeEvictsTheEntryClosestToExpiry() {
    ManualClock clock = new ManualClock();
    try (TestGateway gw = TestGateway.start(yaml("ttl: 600, maxSize: 3"), clock)) {
      for (int i = 1; i <= 4; i++) {
        assertThat(cache(gw.post("/v1/chat/completions", ask("q" + i)))).isEqualTo("miss");
        awaitStores(gw, i);
        clock.advance(Duration.ofSeconds(1)); // each later entry expires later
      }
      assertThat(redis.indexSize()).isEqualTo(3);
      assertThat(redis.entries()).hasSize(3);
      assertThat(gw.metrics().sum("orchestrator_cache_evictions_total", "backend", "redis")).isEqualTo(1);
      for (int i = 4; i >= 2; i--) assertThat(cache(gw.post("/v1/chat/completions", ask("q" + i)))).isEqualTo("hit");
      assertThat(cache(gw.post("/v1/chat/completions", ask("q1")))).as("the oldest went").isEqualTo("miss");
    }
  }

  @Test
  void compressionIsOptionalAndEitherIsReadable() {
    try (TestGateway plain = TestGateway.start(yaml("ttl: 60, compressionEnabled: false"));
        TestGateway gzip = TestGateway.start(yaml("ttl: 60, compressionEnabled: true"))) {
      String longAnswer = "word ".repeat(400);
      plain.simulate("s", "{\"content\":\"" + longAnswer + "\"}");
      gzip.simulate("s", "{\"content\":\"" + longAnswer + "\"}");
      HttpResponse<String> p = plain.post("/v1/chat/completions", ask("plain"));
      HttpResponse<String> z = gzip.post("/v1/chat/completions", ask("zipped"));
      awaitStores(plain, 1);
      awaitStores(gzip, 1);
      byte[] plainBytes = redis.raw(redis.prefix + "cache:" + key("plain"));
      byte[] zipBytes = redis.raw(redis.prefix + "cache:" + key("zipped"));
      assertThat(plainBytes[1]).as("flags: stored as is").isEqualTo((byte) 0);
      assertThat(zipBytes[1]).as("flags: gzip").isEqualTo((byte) 1);
      assertThat(zipBytes.length).isLessThan(plainBytes.length / 4);
      // Each replica reads the other's entry, whatever its own setting.
      HttpResponse<String> zFromPlain = plain.post("/v1/chat/completions", ask("zipped"));
      HttpResponse<String> pFromZip = gzip.post("/v1/chat/completions", ask("plain"));
      assertThat(cache(zFromPlain)).isEqualTo("hit");
      assertThat(zFromPlain.body()).isEqualTo(z.body());
      assertThat(cache(pFromZip)).isEqualTo("hit");
      assertThat(pFromZip.body()).isEqualTo(p.body());
    }
  }

  private static String key(String content) {
    try {
      return CacheKey.of("default", "openai/chat", new com.fasterxml.jackson.databind.ObjectMapper().readTree(ask(content)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tenantsNeverShareAnEntry() {
    try (TestGateway gw = TestGateway.start(yaml("ttl: 60"))) {
      gw.post("/v1/chat/completions", ask("secret"), "x-tenant-id", "acme");
      awaitStores(gw, 1);
      assertThat(cache(gw.post("/v1/chat/completions", ask("secret"), "x-tenant-id", "globex"))).isEqualTo("miss");
      assertThat(cache(gw.post("/v1/chat/completions", ask("secret"), "x-tenant-id", "acme"))).isEqualTo("hit");
    }
  }

  @Test
  void optOutPerRequest() {
    try (TestGateway gw = TestGateway.start(yaml("ttl: 60"))) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", ask("private"), "cache-control", "no-store");
      assertThat(cache(r)).isEqualTo("bypass");
      assertThat(redis.entries()).isEmpty();
      assertThat(gw.metrics().sum("orchestrator_cache_skipped_total", "reason", "no_store")).isEqualTo(1);
    }
  }

  @Test
  void redisThatStopsAnsweringDegradesToMissesNeverFailures() {
    try (RedisProxy proxy = new RedisProxy(); LogCapture logs = new LogCapture();
        TestGateway gw = TestGateway.start("cache: {enabled: true, type: redis, ttl: 60}\n" + redis.redisYaml(proxy.url()) + """
            providers:
              sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
            """)) {
      gw.post("/v1/chat/completions", ask("before"));
      awaitStores(gw, 1);
      assertThat(cache(gw.post("/v1/chat/completions", ask("before")))).isEqualTo("hit");

      proxy.hang(); // Redis goes silent mid-test
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = gw.post("/v1/chat/completions", ask("before"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(cache(r)).isEqualTo("miss");
        assertThat(tookMs).as("bounded by redis.commandTimeout (1 s), not hung").isLessThan(5_000);
      }
      assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(4);
      assertThat(gw.metrics().sum("orchestrator_cache_errors_total", "backend", "redis", "operation", "get")).isGreaterThanOrEqualTo(3);
      assertThat(gw.metrics().sum("orchestrator_redis_errors_total", "use", "cache")).isGreaterThanOrEqualTo(3);
      assertThat(logs.grep("response cache degraded to misses")).hasSize(1);

      proxy.heal(); // back: hits again (the entry written before is still there)
      await().atMost(Duration.ofSeconds(10)).until(() -> cache(gw.post("/v1/chat/completions", ask("before"))).equals("hit"));
    }
  }

  @Test
  void redisRefusingConnectionsIsAMissToo() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestGateway gw = TestGateway.start("cache: {enabled: true, type: redis, ttl: 60}\n"
        + redis.redisYaml("redis://127.0.0.1:" + closedPort) + """
            providers:
              sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
            """)) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = gw.post("/v1/chat/completions", ask("refused"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(cache(r)).isEqualTo("miss");
      }
      assertThat(gw.metrics().sum("orchestrator_cache_errors_total", "backend", "redis", "operation", "get")).isEqualTo(2);
    }
  }
}
