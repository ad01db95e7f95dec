package dev.ossaat.orchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Active probes make health known without traffic, and the health gauge follows. */
class ProbeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void probesJudgeProvidersThatNobodyCalls() {
    try (TestGateway gw = TestGateway.start("""
        health: {probes: {enabled: true, interval: 200ms, timeout: 1s}}
        providers:
          good: {baseUrl: "${SIM:good}", apiKeyRequired: false, model: sim-small}
          revoked: {baseUrl: "${SIM:revoked}", apiKey: sk-stale-1234, model: sim-small}
        """)) {
      gw.simulate("revoked", "{\"requireApiKey\":\"sk-other\"}");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        var providers = JSON.readTree(gw.get("/health/providers").body()).path("providers");
        assertThat(providers.path("good").path("status").asText()).isEqualTo("healthy");
        assertThat(providers.path("revoked").path("status").asText()).isEqualTo("unhealthy");
        assertThat(providers.path("revoked").path("lastErrorMessage").asText()).contains("probe").contains("401");
      });
      var m = gw.metrics();
      assertThat(m.sum("orchestrator_provider_health_status", "provider", "good", "status", "healthy")).isEqualTo(1);
      assertThat(m.sum("orchestrator_provider_health_status", "provider", "revoked", "status", "unhealthy")).isEqualTo(1);
      assertThat(m.sum("orchestrator_provider_health_status", "provider", "revoked", "status", "healthy")).isZero();
      assertThat(gw.simStats("good").path("chatRequests").asLong()).isZero();
    }
  }
}
