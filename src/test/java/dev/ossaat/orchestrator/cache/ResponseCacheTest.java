package dev.ossaat.orchestrator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"cache me\"}]";

  @Test
  void keysAreCanonicalAndScopedByTenant() throws Exception {
    String a = CacheKey.of("t1", "chat", JSON.readTree("{\"model\":\"m\",\"temperature\":1,\"messages\":" + MESSAGES + "}"));
    String b = CacheKey.of("t1", "chat", JSON.readTree(
        "{\"messages\":" + MESSAGES + ",\"temperature\":1.0,\"model\":\"m\",\"stream\":false,\"user\":\"x\"}"));
    assertThat(a).isEqualTo(b);
    assertThat(CacheKey.of("t2", "chat", JSON.readTree("{\"model\":\"m\",\"temperature\":1,\"messages\":" + MESSAGES + "}")))
        .isNotEqualTo(a);
    assertThat(CacheKey.of("t1", "chat", JSON.readTree("{\"model\":\"m\",\"temperature\":0.7,\"messages\":" + MESSAGES + "}")))
        .isNotEqualTo(a);
    // A nested key order does not matter either.
    assertThat(CacheKey.of("t", "chat", JSON.readTree("{\"x\":{\"a\":1,\"b\":2}}")))
        .isEqualTo(CacheKey.of("t", "chat", JSON.readTree("{\"x\":{\"b\":2,\"a\":1}}")));
  }

  @Test
  void repeatedRequestsAreAnsweredFromTheCacheOnlyForTheSameTenant() {
    try (TestGateway gw = TestGateway.start("""
        cache: {enabled: true, ttl: 60, maxSize: 100, compressionEnabled: true}
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small}
        """)) {
      String first = "{\"model\":\"sim-small\",\"temperature\":0,\"messages\":" + MESSAGES + "}";
      String same = "{\"messages\":" + MESSAGES + ",\"temperature\":0.0,\"model\":\"sim-small\"}";
      HttpResponse<String> r1 = gw.post("/v1/chat/completions", first, "x-tenant-id", "acme");
      HttpResponse<String> r2 = gw.post("/v1/chat/completions", same, "x-tenant-id", "acme");
      HttpResponse<String> r3 = gw.post("/v1/chat/completions", same, "x-tenant-id", "globex");
      assertThat(r1.headers().firstValue("x-orchestrator-cache")).hasValue("miss");
      assertThat(r2.headers().firstValue("x-orchestrator-cache")).hasValue("hit");
      assertThat(r2.body()).isEqualTo(r1.body());
      assertThat(r3.headers().firstValue("x-orchestrator-cache")).hasValue("miss");
      assertThat(gw.simStats("alpha").path("requests").asLong()).isEqualTo(2);
      assertThat(gw.metrics().sum("orchestrator_provider_cache_hits_total", "model", "sim-small")).isEqualTo(1);
      assertThat(gw.metrics().sum("orchestrator_provider_cache_misses_total", "model", "sim-small")).isEqualTo(2);
    }
  }
}
