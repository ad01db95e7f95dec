package dev.ossaat.orchestrator.health;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKey: sk-health-secret-9999, model: sim-small}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small}
          gamma: {baseUrl: "${SIM:gamma}", enabled: false, model: sim-small}
          delta: {baseUrl: "${SIM:delta}", model: sim-small}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private JsonNode providers() throws Exception {
    return JSON.readTree(gw.get("/health/providers").body());
  }

  @Test
  void livenessAndReadiness() throws Exception {
    HttpResponse<String> live = gw.get("/healthz");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(live.body()).path("status").asText()).isEqualTo("ok");
    HttpResponse<String> ready = gw.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).path("providers").asInt()).isEqualTo(2);
  }

  @Test
  void providerHealthComesFromWhatTrafficSaw() throws Exception {
    JsonNode before = providers();
    assertThat(before.path("providers").path("alpha").path("status").asText()).isEqualTo("unknown");
    assertThat(before.path("providers").path("alpha").path("enabled").asBoolean()).isTrue();
    assertThat(before.path("providers").path("alpha").path("configured").asBoolean()).isTrue();
    assertThat(before.path("providers").path("alpha").path("circuitBreaker").asText()).isEqualTo("closed");
    assertThat(before.path("providers").path("gamma").path("status").asText()).isEqualTo("disabled");
    assertThat(before.path("providers").path("delta").path("configured").asBoolean()).isFalse();
    assertThat(before.path("providers").path("delta").path("status").asText()).isEqualTo("unhealthy");
    assertThat(before.path("providers").path("delta").path("reason").asText()).contains("DELTA_API_KEY");

    for (int i = 0; i < 3; i++) assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    JsonNode healthy = providers().path("providers").path("alpha");
    assertThat(healthy.path("status").asText()).isEqualTo("healthy");
    assertThat(healthy.path("recentRequests").asInt()).isEqualTo(3);
    assertThat(healthy.path("errorRate").asDouble()).isZero();
    assertThat(healthy.path("lastSuccess").asText()).isNotEmpty();
    assertThat(healthy.path("lastError").isNull()).isTrue();

    gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":500}");
    for (int i = 0; i < 5; i++) assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    JsonNode all = providers();
    JsonNode failing = all.path("providers").path("alpha");
    assertThat(failing.path("status").asText()).isEqualTo("unhealthy");
    assertThat(failing.path("recentRequests").asInt()).isEqualTo(8);
    assertThat(failing.path("errorRate").asDouble()).isEqualTo(0.625);
    assertThat(failing.path("lastErrorMessage").asText()).contains("HTTP 500");
    assertThat(all.path("providers").path("beta").path("status").asText()).isEqualTo("healthy");
    assertThat(all.path("status").asText()).isEqualTo("degraded");
    assertThat(all.toString()).doesNotContain("sk-health-secret-9999");
  }
}
