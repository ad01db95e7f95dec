package dev.ossaat.orchestrator.cache;

import static dev.ossaat.orchestrator.cache.RedisCacheTest.ask;
import static dev.ossaat.orchestrator.cache.RedisCacheTest.awaitStores;
import static dev.ossaat.orchestrator.cache.RedisCacheTest.cache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-memory cache follows the Redis cache's rules: TTL on the gateway's clock, maxSize by closest expiry. */
class MemoryCacheTest {
  private static TestGateway start(String cache, ManualClock clock) {
    return TestGateway.start("cache: {enabled: true, type: memory, " + cache + "}\n" + """
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """, clock);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void entriesExpireOnTheGatewaysClock(boolean compression) {
    ManualClock clock = new ManualClock();
    try (TestGateway gw = start("ttl: 30, compressionEnabled: " + compression, clock)) {
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).isEqualTo("miss");
      awaitStores(gw, 1);
      clock.advance(Duration.ofSeconds(29));
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).isEqualTo("hit");
      clock.advance(Duration.ofSeconds(2));
      assertThat(cache(gw.post("/v1/chat/completions", ask("ttl")))).isEqualTo("miss");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void maxSizeEvictsTheEntryClosestToExpiry(boolean compression) {
    ManualClock clock = new ManualClock();
    try (TestGateway gw = start("ttl: 600, maxSize: 3, compressionEnabled: " + compression, clock)) {
      for (int i = 1; i <= 4; i++) {
        gw.post("/v1/chat/completions", ask("q" + i));
        awaitStores(gw, i);
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(gw.metrics().sum("orchestrator_cache_evictions_total", "backend", "memory")).isEqualTo(1);
      for (int i = 4; i >= 2; i--) assertThat(cache(gw.post("/v1/chat/completions", ask("q" + i)))).isEqualTo("hit");
      assertThat(cache(gw.post("/v1/chat/completions", ask("q1")))).isEqualTo("miss");
    }
  }
}
